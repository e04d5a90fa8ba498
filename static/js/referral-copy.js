/*
 * The "Copy link" button of the referral page (templates/customer_voice/referrals/refer.html).
 * Without this script, or without a clipboard, the button stays hidden and the link can be
 * selected and copied by hand. Visible strings come from the body's data attributes (base.html).
 */
(function () {
  "use strict";

  function enableReferralCopy() {
    var labels = document.body.dataset;
    var button = document.querySelector("[data-referral-copy]");
    var input = document.querySelector("[data-referral-url]");
    var status = document.querySelector("[data-referral-copy-status]");
    if (!button || !input || !navigator.clipboard) {
      return;
    }
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(
        function () {
          button.textContent = labels.copiedLabel || label;
          if (status) {
            status.textContent = labels.copiedLabel || "";
          }
          window.setTimeout(function () {
            button.textContent = label;
            if (status) {
              status.textContent = "";
            }
          }, 2000);
        },
        function () {
          input.select();
          if (status) {
            status.textContent = labels.copyFailedLabel || "";
          }
        }
      );
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enableReferralCopy);
  } else {
    enableReferralCopy();
  }
})();
