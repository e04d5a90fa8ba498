/*
 * Small enhancements for the help center. Everything works without this script: it only adds a
 * print button, copy buttons on code blocks, and marks the section being read in the table of
 * contents. Visible strings come from data attributes the templates fill through gettext.
 */
(function () {
  "use strict";

  function enablePrintButtons() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }

  function enableCopyButtons() {
    var labels = document.body.dataset;
    if (!navigator.clipboard || !labels.copyLabel) {
      return;
    }
    document.querySelectorAll(".code-block").forEach(function (block) {
      var pre = block.querySelector("pre");
      var header = block.querySelector(".code-block-header");
      if (!pre) {
        return;
      }
      if (!header) {
        header = document.createElement("div");
        header.className = "code-block-header";
        header.appendChild(document.createElement("span"));
        block.insertBefore(header, pre);
      }
      var button = document.createElement("button");
      var status = document.createElement("span");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = labels.copyLabel;
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      header.appendChild(button);
      header.appendChild(status);
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(pre.textContent).then(
          function () {
            button.textContent = labels.copiedLabel;
            status.textContent = labels.copiedLabel;
            window.setTimeout(function () {
              button.textContent = labels.copyLabel;
              status.textContent = "";
            }, 2000);
          },
          function () {
            status.textContent = labels.copyFailedLabel;
          }
        );
      });
    });
  }

  function trackTableOfContents() {
    var links = Array.prototype.slice.call(document.querySelectorAll(".toc a[href^='#']"));
    if (!links.length || !("IntersectionObserver" in window)) {
      return;
    }
    var byId = {};
    var headings = [];
    links.forEach(function (link) {
      var heading = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (heading) {
        byId[heading.id] = link;
        headings.push(heading);
      }
    });
    var visible = new Set();
    function mark() {
      // The current section is the first heading on screen, or else the last one scrolled past.
      var current = headings.find(function (heading) {
        return visible.has(heading.id);
      });
      if (!current) {
        current = headings
          .filter(function (heading) {
            return heading.getBoundingClientRect().top < 0;
          })
          .pop();
      }
      links.forEach(function (link) {
        link.removeAttribute("aria-current");
      });
      if (current) {
        byId[current.id].setAttribute("aria-current", "location");
      }
    }
    var observer = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) {
            visible.add(entry.target.id);
          } else {
            visible.delete(entry.target.id);
          }
        });
        mark();
      },
      { rootMargin: "0px 0px -55% 0px" }
    );
    headings.forEach(function (heading) {
      observer.observe(heading);
    });
  }

  function start() {
    enablePrintButtons();
    enableCopyButtons();
    trackTableOfContents();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
