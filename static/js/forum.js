/*
 * Forum page behaviour, all progressive enhancement (every form works without it):
 * similar topics while a title is typed, the editor's Preview tab and image upload, Quote, and
 * upvotes without a page reload. HTML fragments come from our own endpoints, which escape
 * everything and sanitize post bodies; strings shown come from data-* attributes filled by gettext.
 */
(function () {
  "use strict";

  if (!window.fetch || !window.FormData) {
    return;
  }

  function csrfToken(element) {
    var form = element.closest("form");
    var input = (form && form.querySelector("[name=csrfmiddlewaretoken]")) || document.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  /* --- Similar topics and articles while the title is typed --------------------------------- */
  document.querySelectorAll("[data-similar-url]").forEach(function (input) {
    var target = document.querySelector(input.dataset.similarTarget);
    var form = input.closest("form");
    var visit = form ? form.querySelector("[name=visit]") : null;
    var timer = null;
    var controller = null;
    var lastQuery = null;
    function update() {
      var query = input.value.trim();
      if (query === lastQuery) {
        return;
      }
      lastQuery = query;
      if (controller) {
        controller.abort();
      }
      if (query.length < 4) {
        target.innerHTML = "";
        return;
      }
      controller = window.AbortController ? new AbortController() : null;
      var params = new URLSearchParams({ q: query, visit: visit ? visit.value : "" });
      fetch(input.dataset.similarUrl + "?" + params.toString(), {
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.text() : "";
        })
        .then(function (html) {
          target.innerHTML = html;
        })
        .catch(function () {});
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 250);
    });
    if (input.value) {
      update();
    }
  });

  /* --- Editor: Write / Preview, image upload ----------------------------------------------- */
  document.querySelectorAll("[data-editor]").forEach(function (editor) {
    var textarea = editor.querySelector("textarea");
    var output = editor.querySelector("[data-editor-output]");
    var status = editor.querySelector("[data-editor-status]");
    var writeTab = editor.querySelector("[data-editor-write]");
    var previewTab = editor.querySelector("[data-editor-preview]");
    var upload = editor.querySelector("[data-editor-upload]");

    function showWrite() {
      writeTab.setAttribute("aria-pressed", "true");
      previewTab.setAttribute("aria-pressed", "false");
      output.hidden = true;
      textarea.hidden = false;
      textarea.focus();
    }

    function showPreview() {
      writeTab.setAttribute("aria-pressed", "false");
      previewTab.setAttribute("aria-pressed", "true");
      if (!textarea.value.trim()) {
        output.textContent = editor.dataset.emptyLabel;
      } else {
        var body = new FormData();
        body.append("body", textarea.value);
        fetch(editor.dataset.previewUrl, {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken(editor), "HX-Request": "true" },
        })
          .then(function (response) {
            return response.text();
          })
          .then(function (html) {
            output.innerHTML = html;
          });
      }
      textarea.hidden = true;
      output.hidden = false;
    }

    writeTab.addEventListener("click", showWrite);
    previewTab.addEventListener("click", showPreview);

    if (upload) {
      upload.addEventListener("change", function () {
        var file = upload.files[0];
        if (!file) {
          return;
        }
        var body = new FormData();
        body.append("image", file);
        status.textContent = editor.dataset.uploadingLabel;
        fetch(editor.dataset.uploadUrl, {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken(editor), Accept: "application/json" },
        })
          .then(function (response) {
            return response.json().then(function (data) {
              return { ok: response.ok, data: data };
            });
          })
          .then(function (result) {
            if (!result.ok) {
              status.textContent = result.data.error || editor.dataset.uploadFailedLabel;
              return;
            }
            insertAtCursor(textarea, "\n" + result.data.markdown + "\n");
            status.textContent = "";
          })
          .catch(function () {
            status.textContent = editor.dataset.uploadFailedLabel;
          })
          .finally(function () {
            upload.value = "";
          });
      });
    }
  });

  function insertAtCursor(textarea, text) {
    var start = textarea.selectionStart || textarea.value.length;
    var end = textarea.selectionEnd || start;
    textarea.value = textarea.value.slice(0, start) + text + textarea.value.slice(end);
    textarea.selectionStart = textarea.selectionEnd = start + text.length;
    textarea.focus();
  }

  /* --- Quote: a Markdown blockquote that links the quoted post ----------------------------- */
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-quote]");
    if (!button) {
      return;
    }
    var textarea = document.querySelector("#reply-form textarea");
    var source = document.querySelector(button.dataset.quoteTarget);
    if (!textarea || !source) {
      return;
    }
    var selection = window.getSelection ? String(window.getSelection()) : "";
    var text = selection && source.contains(window.getSelection().anchorNode) ? selection : source.innerText;
    var quoted = text
      .trim()
      .split("\n")
      .map(function (line) {
        return "> " + line;
      })
      .join("\n");
    var author = (button.dataset.quoteAuthor || "").replace(/[[\]*_`]/g, "");
    var header = "> **" + author + "** [wrote](" + button.dataset.quoteUrl + "):\n";
    var prefix = textarea.value && !/\n\n$/.test(textarea.value) ? "\n\n" : "";
    textarea.value += prefix + header + quoted + "\n\n";
    textarea.focus();
    textarea.scrollIntoView({ block: "center" });
  });

  /* --- Upvotes without a reload ------------------------------------------------------------ */
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-vote-form]");
    if (!form) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector("button");
    var action = form.querySelector("[name=action]");
    // Not form.action: the form's own input named "action" hides that property.
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { ok: response.ok, data: data };
        });
      })
      .then(function (result) {
        if (!result.ok) {
          return;
        }
        var voted = result.data.voted;
        // In the page language's digits, as the server writes the score (sitewide.numerals).
        form.closest(".vote").querySelector("[data-score]").textContent = new Intl.NumberFormat(
          document.documentElement.lang || undefined,
          { useGrouping: false }
        ).format(result.data.score);
        var unit = form.closest(".vote").querySelector("[data-score-unit]");
        if (unit && result.data.unit) {
          unit.textContent = result.data.unit; // "vote" or "votes", plural chosen by the server
        }
        button.setAttribute("aria-pressed", voted ? "true" : "false");
        action.value = voted ? "unvote" : "vote";
      });
  });
})();
