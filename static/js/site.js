/*
 * Small enhancements for the help center. Everything works without this script: it only opens
 * and closes the header's menus (which are open without scripting), adds a print button and copy
 * buttons on code blocks, and marks the section being read in the table of contents. Visible
 * strings come from data attributes the templates fill through gettext.
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

  /*
   * Disclosure buttons ([data-disclosure]: the header's menu, language and account buttons).
   * The button's aria-expanded is the only state; the CSS shows the panel that follows the
   * button (aria-controls) when it is "true". Focus stays on the button, so Tab walks into the
   * panel that comes next. Escape closes the innermost open panel and hands focus back to its
   * button; a click or focus outside closes it. A panel may hold another disclosure (languages
   * and account sit in the site menu), which opening the inner one leaves open.
   */
  function enableDisclosures() {
    var buttons = Array.prototype.slice.call(document.querySelectorAll("[data-disclosure]"));
    if (!buttons.length) {
      return;
    }

    function panelOf(button) {
      return document.getElementById(button.getAttribute("aria-controls"));
    }

    function isOpen(button) {
      return button.getAttribute("aria-expanded") === "true";
    }

    function holds(button, node) {
      var panel = panelOf(button);
      return button.contains(node) || (panel !== null && panel.contains(node));
    }

    function close(button) {
      button.setAttribute("aria-expanded", "false");
    }

    function closeAllOutside(node) {
      buttons.forEach(function (button) {
        if (isOpen(button) && !holds(button, node)) {
          close(button);
        }
      });
    }

    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var opening = !isOpen(button);
        closeAllOutside(button);
        button.setAttribute("aria-expanded", opening ? "true" : "false");
      });
    });

    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || event.defaultPrevented) {
        return;
      }
      var focused = document.activeElement;
      // The innermost open disclosure around the focus (buttons come in document order, so the
      // last match is the innermost); with the focus on the page itself, the innermost open one.
      var target = buttons
        .filter(function (button) {
          return isOpen(button) && (holds(button, focused) || focused === document.body);
        })
        .pop();
      if (target) {
        close(target);
        target.focus();
      }
    });

    document.addEventListener("click", function (event) {
      closeAllOutside(event.target);
    });

    document.addEventListener("focusin", function (event) {
      closeAllOutside(event.target);
    });
  }

  function start() {
    enableDisclosures();
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
