// Council meetings: a time shown in UTC (the member chose no time zone) is rewritten in the
// browser's own zone, in the page's language. Without scripting the UTC time stays, labelled.
(function () {
  "use strict";
  var lang = document.documentElement.lang || undefined;
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.querySelectorAll("time[data-local-time]").forEach(function (element) {
    var when = new Date(element.getAttribute("datetime"));
    if (isNaN(when.getTime())) return;
    var options = element.hasAttribute("data-time-only")
      ? { timeStyle: "short" }
      : { dateStyle: "full", timeStyle: "short" };
    element.title = element.textContent;
    element.textContent = new Intl.DateTimeFormat(lang, options).format(when) +
      (element.hasAttribute("data-time-only") && zone ? " (" + zone + ")" : "");
    element.setAttribute("data-local-zone", zone || "");
  });
})();
