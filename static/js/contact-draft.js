/*
 * The contact form keeps what was typed: the subject and description are saved in the tab's
 * sessionStorage as the customer types, and put back when the form is shown again empty (after
 * Back from a suggested article, the article's "Back to the contact form", or a reload). The
 * thank-you page (data-contact-draft-sent) clears the draft: a request once sent is not offered
 * again. Progressive enhancement only: without JavaScript or storage the form works as before.
 *
 * - sessionStorage, not localStorage: each tab has its own copy, so two tabs with two different
 *   questions never overwrite each other, and nothing outlives the tab.
 * - One draft per language (the key names it): the Persian form never fills in an English draft.
 * - The email address is never stored. It is personal data that would otherwise sit in storage any
 *   script on the site can read, long after the question is sent; it is also the cheap part to
 *   retype (signed-in customers get it filled in, browsers autofill it).
 * - A field that already has a value (the server's, after an error, or the browser's own restore)
 *   is never overwritten.
 */
(function () {
  "use strict";

  var KEY_PREFIX = "support.contact.draft:";
  var FIELDS = ["subject", "description"];

  function storage() {
    // Reading window.sessionStorage itself throws when the browser blocks storage.
    try {
      return window.sessionStorage || null;
    } catch (error) {
      return null;
    }
  }

  function keyFor(language) {
    return KEY_PREFIX + (language || document.documentElement.lang || "");
  }

  function read(store, key) {
    try {
      var draft = JSON.parse(store.getItem(key) || "null");
      return draft && typeof draft === "object" ? draft : null;
    } catch (error) {
      return null;
    }
  }

  function forget(store, key) {
    try {
      store.removeItem(key);
    } catch (error) {
      // Nothing to clear.
    }
  }

  function ContactDraft(form, store) {
    this.form = form;
    this.store = store;
    this.key = keyFor(form.getAttribute("data-contact-draft"));
    this.inputs = {};
    var self = this;
    FIELDS.forEach(function (name) {
      var input = form.elements.namedItem(name);
      if (input && typeof input.value === "string") {
        self.inputs[name] = input;
      }
    });
    this.restore();
    FIELDS.forEach(function (name) {
      if (self.inputs[name]) {
        self.inputs[name].addEventListener("input", function () { self.save(); });
      }
    });
    // Typing in another field and leaving at once (Back) is still saved.
    window.addEventListener("pagehide", function () { self.save(); });
  }

  ContactDraft.prototype.restore = function () {
    var draft = read(this.store, this.key);
    var restored = [];
    var self = this;
    if (draft) {
      FIELDS.forEach(function (name) {
        var input = self.inputs[name];
        var value = typeof draft[name] === "string" ? draft[name] : "";
        if (input && value && !input.value) {
          input.value = value;
          restored.push(input);
        }
      });
    }
    // Listeners (the live suggestions) react as if the text had been typed.
    restored.forEach(function (input) {
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    this.save();
    if (restored.length) {
      this.announce();
    }
  };

  ContactDraft.prototype.announce = function () {
    var status = this.form.querySelector("[data-contact-draft-status]");
    var message = this.form.getAttribute("data-contact-draft-restored");
    if (status && message) {
      // The live region is in the page from the start (empty, so invisible): filling it is announced.
      status.className = "message";
      status.textContent = message;
    }
  };

  ContactDraft.prototype.save = function () {
    var draft = {};
    var empty = true;
    var self = this;
    FIELDS.forEach(function (name) {
      var value = self.inputs[name] ? self.inputs[name].value : "";
      draft[name] = value;
      if (value.trim()) {
        empty = false;
      }
    });
    if (empty) {
      forget(this.store, this.key);
      return;
    }
    try {
      this.store.setItem(this.key, JSON.stringify(draft));
    } catch (error) {
      // Storage full or blocked: the form still works, only the draft is not kept.
    }
  };

  function start() {
    var store = storage();
    if (!store || !window.JSON) {
      return;
    }
    document.querySelectorAll("[data-contact-draft-sent]").forEach(function (element) {
      forget(store, keyFor(element.getAttribute("data-contact-draft-sent")));
    });
    document.querySelectorAll("form[data-contact-draft]").forEach(function (form) {
      new ContactDraft(form, store);
    });
  }

  // Deferred, and listed before support.js: the draft is back in the fields before the live
  // suggestions look at them.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
