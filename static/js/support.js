/*
 * Support features, as progressive enhancement of plain forms that work without JavaScript:
 *
 * - Forms marked data-inline (the "Did this solve your problem?" box) are sent with fetch and
 *   the box (the nearest data-inline-target) is replaced by the server's HTML for its new state.
 *   The request says "HX-Request: true", so the server answers with the same partial an htmx
 *   swap would get. Focus moves to the new box's heading so screen readers announce it.
 * - The contact form asks for matching articles as the customer types (debounced) and shows the
 *   server-rendered list in an aria-live region beside the form.
 */
(function () {
  "use strict";

  if (!window.fetch || !window.FormData || !window.AbortController) {
    return;
  }

  var SUGGEST_DEBOUNCE_MS = 300;
  var MIN_CHARACTERS = 3;

  function replaceBox(box, html) {
    var parser = document.createElement("template");
    parser.innerHTML = html.trim();
    var fresh = parser.content.firstElementChild;
    if (!fresh) {
      return;
    }
    box.replaceWith(fresh);
    var heading = fresh.querySelector("[tabindex='-1']");
    if (heading) {
      heading.focus();
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-inline")) {
      return;
    }
    var box = form.closest("[data-inline-target]");
    if (!box) {
      return;
    }
    event.preventDefault();
    var data = new FormData(form);
    var submitter = event.submitter;
    if (submitter && submitter.name) {
      data.set(submitter.name, submitter.value);
    }
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (button) { button.disabled = true; });
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "HX-Request": "true", "X-CSRFToken": data.get("csrfmiddlewaretoken") || "" },
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("text/html") !== 0) {
          throw new Error("not a partial");
        }
        return response.text().then(function (html) { replaceBox(box, html); });
      })
      .catch(function () {
        // Anything unexpected (offline, rate limited): fall back to the plain form submission.
        buttons.forEach(function (button) { button.disabled = false; });
        if (submitter && submitter.name) {
          var hidden = document.createElement("input");
          hidden.type = "hidden";
          hidden.name = submitter.name;
          hidden.value = submitter.value;
          form.appendChild(hidden);
        }
        form.submit();
      });
  });

  function ContactSuggestions(form) {
    this.form = form;
    this.url = form.getAttribute("data-suggestions-url");
    this.region = document.querySelector("[data-contact-suggestions]");
    this.subject = form.querySelector("[name='subject']");
    this.description = form.querySelector("[name='description']");
    this.visit = form.querySelector("[name='visit']");
    this.timer = null;
    this.controller = null;
    this.lastText = null;
    var self = this;
    [this.subject, this.description].forEach(function (input) {
      if (input) {
        input.addEventListener("input", function () { self.schedule(); });
      }
    });
    if (this.text().length >= MIN_CHARACTERS) {
      this.schedule();
    }
  }

  ContactSuggestions.prototype.text = function () {
    var subject = this.subject ? this.subject.value : "";
    var description = this.description ? this.description.value.slice(0, 300) : "";
    return (subject + " " + description).trim();
  };

  ContactSuggestions.prototype.schedule = function () {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.fetch(); }, SUGGEST_DEBOUNCE_MS);
  };

  ContactSuggestions.prototype.fetch = function () {
    var text = this.text();
    if (text.length < MIN_CHARACTERS || text === this.lastText || !this.region) {
      return;
    }
    this.lastText = text;
    if (this.controller) {
      this.controller.abort();
    }
    this.controller = new AbortController();
    var params = new URLSearchParams({
      visit: this.visit ? this.visit.value : "",
      subject: this.subject ? this.subject.value : "",
      description: this.description ? this.description.value.slice(0, 300) : "",
    });
    var region = this.region;
    fetch(this.url + "?" + params.toString(), {
      credentials: "same-origin",
      headers: { "HX-Request": "true" },
      signal: this.controller.signal,
    })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html !== null) {
          region.innerHTML = html;
        }
      })
      .catch(function () {});
  };

  function start() {
    document.querySelectorAll("[data-contact-form]").forEach(function (form) {
      new ContactSuggestions(form);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
