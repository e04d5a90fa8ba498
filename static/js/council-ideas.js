/*
 * The council's feedback board, enhanced: live status changes, vote and follow buttons that
 * answer in place, and similar ideas while a new idea's title is typed.
 *
 * Everything works without this file (plain POST forms and pages). The websocket
 * (customer_council.consumers.CouncilConsumer, ws/council/) sends only what changed, by id
 * ({"type": "idea.status_changed", "idea": 7, "change": 31}); the HTML comes from the
 * permission-checked status panel view, which answers 404 to a reader who may not see the idea.
 * Strings come from data-* attributes filled by gettext. If htmx is on the page it handles the
 * forms (they carry hx-post); this file then leaves them alone.
 */
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  /* --- Vote and follow buttons, swapped in place ------------------------------------------------ */

  function enhanceForms() {
    if (window.htmx || !window.fetch) {
      return;
    }
    document.addEventListener("submit", function (submitting) {
      var form = submitting.target;
      if (!form.matches || !form.matches("[data-idea-vote], [data-idea-follow]")) {
        return;
      }
      submitting.preventDefault();
      var button = form.querySelector("button");
      if (button) {
        button.disabled = true;
      }
      // form.action would name the hidden <input name="action">, not the form's address.
      fetch(form.getAttribute("action"), {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "HX-Request": "true", "X-CSRFToken": csrfToken(form) },
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.text();
        })
        .then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html.trim();
          var replacement = holder.firstElementChild;
          if (replacement) {
            form.replaceWith(replacement);
            var again = replacement.querySelector("button");
            if (again) {
              again.focus();
            }
          }
        })
        .catch(function () {
          // Fall back to the plain form: the server answers with a page that says what went wrong.
          form.submit();
        });
    });
  }

  /* --- Similar ideas while a title is typed -------------------------------------------------- */

  function enhanceSimilar() {
    var form = document.querySelector("[data-similar-url]");
    var title = form && form.querySelector("[data-idea-title]");
    var box = form && form.querySelector("[data-similar]");
    if (!title || !box || !window.fetch) {
      return;
    }
    var list = box.querySelector("[data-similar-list]");
    var timer = null;
    var latest = 0;
    title.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var asked = ++latest;
        var query = title.value.trim();
        if (query.length < 3) {
          box.hidden = true;
          return;
        }
        var url = form.dataset.similarUrl + "?q=" + encodeURIComponent(query);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            if (asked !== latest) {
              return;
            }
            list.textContent = "";
            (data.results || []).forEach(function (result) {
              var item = document.createElement("li");
              var link = document.createElement("a");
              link.href = result.url;
              link.textContent = result.title;
              link.dir = "auto";
              item.appendChild(link);
              item.appendChild(document.createTextNode(" · " + result.status));
              list.appendChild(item);
            });
            box.hidden = list.children.length === 0;
          })
          .catch(function () {
            box.hidden = true;
          });
      }, 300);
    });
  }

  /* --- Live status changes -------------------------------------------------------------------- */

  function enhanceLive() {
    var root = document.querySelector("[data-council-live]");
    if (!root || !window.WebSocket || !window.fetch) {
      return;
    }
    var data = root.dataset;
    var status = root.querySelector("[data-live-status]");

    function announce(text) {
      if (!status) {
        return;
      }
      // Cleared first so that the same words twice are still read out.
      status.textContent = "";
      window.setTimeout(function () {
        status.textContent = text;
      }, 50);
    }

    function refreshPanel() {
      var slot = root.querySelector("[data-status-panel-slot]");
      if (!slot || !data.statusUrl) {
        return;
      }
      fetch(data.statusUrl, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) {
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (html === null) {
            return;
          }
          var before = slot.querySelector("[data-current-status]");
          var previous = before ? before.textContent : "";
          slot.innerHTML = html;
          var after = slot.querySelector("[data-current-status]");
          if (after && after.textContent !== previous) {
            announce(data.changeLabel + " " + after.textContent);
          }
        });
    }

    function statusChanged(event) {
      if (data.idea && String(event.idea) === data.idea) {
        refreshPanel();
      } else if (!data.idea) {
        announce(data.changeLabel);
      }
    }

    function ideaChanged(event) {
      if (data.idea && String(event.idea) === data.idea) {
        refreshPanel();
      }
    }

    var handlers = { "idea.status_changed": statusChanged, "idea.changed": ideaChanged };

    window.openLiveSocket(root, data.socketPath, handlers);
  }

  enhanceForms();
  enhanceSimilar();
  enhanceLive();
})();
