/*
 * Typeahead for the search forms: as the reader types, the best few articles appear under the
 * input (WAI-ARIA 1.2 combobox with a listbox popup). Focus never leaves the input; the active
 * option is announced through aria-activedescendant.
 *
 * Progressive enhancement only: a form without data-suggest-url, or a browser without fetch,
 * keeps the plain search form that submits to the search page. Visible strings come from the
 * form's data-suggest-* attributes, which the template fills through gettext.
 */
(function () {
  "use strict";

  var MIN_CHARACTERS = 2;
  var MAX_SUGGESTIONS = 5;
  var DEBOUNCE_MS = 150;

  if (!window.fetch || !window.AbortController || !window.URLSearchParams) {
    return;
  }

  function format(template, value) {
    return (template || "%s").replace("%s", value);
  }

  /*
   * The label with the reader's words as text, isolated (dir="auto") so a query in another script
   * keeps its own order. A <span> rather than <bdi>: Chromium pads a <bdi> with spaces in the
   * accessible name.
   */
  function withQuery(template, query) {
    var parts = (template || "%s").split("%s");
    var fragment = document.createDocumentFragment();
    var isolate = document.createElement("span");
    isolate.dir = "auto";
    isolate.textContent = query;
    fragment.appendChild(document.createTextNode(parts[0]));
    fragment.appendChild(isolate);
    fragment.appendChild(document.createTextNode(parts.slice(1).join("%s")));
    return fragment;
  }

  /*
   * The server escapes snippets and adds only <mark>; rebuilding them from text and <mark>
   * elements keeps it that way even if a snippet ever carried anything else. A <template>
   * parses without running scripts or loading images.
   */
  function snippetFragment(html) {
    var parser = document.createElement("template");
    var fragment = document.createDocumentFragment();
    parser.innerHTML = html || "";
    parser.content.childNodes.forEach(function (node) {
      if (node.nodeType === Node.ELEMENT_NODE && node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        fragment.appendChild(mark);
      } else {
        fragment.appendChild(document.createTextNode(node.textContent));
      }
    });
    return fragment;
  }

  function isLocalPath(url) {
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" && url.charAt(1) !== "\\";
  }

  function Typeahead(form) {
    this.form = form;
    this.input = form.querySelector("input[name='q']");
    this.labels = form.dataset;
    this.language = document.documentElement.lang || "";
    this.options = [];
    this.activeIndex = -1;
    this.timer = null;
    this.controller = null;
    this.lastQuery = null;
    this.build();
    this.bind();
  }

  Typeahead.prototype.build = function () {
    var id = this.input.id || "search-q";
    this.form.classList.add("has-suggest");

    this.listbox = document.createElement("ul");
    this.listbox.id = id + "-suggestions";
    this.listbox.className = "suggest-listbox";
    this.listbox.setAttribute("role", "listbox");
    this.listbox.setAttribute("aria-label", this.labels.suggestListLabel || "");
    this.listbox.hidden = true;

    // Polite, so it waits for the reader to pause rather than interrupting each keystroke.
    this.status = document.createElement("div");
    this.status.className = "visually-hidden";
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");

    this.input.setAttribute("role", "combobox");
    this.input.setAttribute("aria-autocomplete", "list");
    this.input.setAttribute("aria-expanded", "false");
    this.input.setAttribute("aria-controls", this.listbox.id);

    this.form.appendChild(this.listbox);
    this.form.appendChild(this.status);
  };

  Typeahead.prototype.bind = function () {
    var self = this;
    this.input.addEventListener("input", function () {
      self.schedule();
    });
    this.input.addEventListener("keydown", function (event) {
      self.onKeydown(event);
    });
    // Keep focus in the input while an option is pressed, so the click lands before any blur.
    this.listbox.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    this.listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role='option']");
      if (option) {
        self.choose(self.options.indexOf(option));
      }
    });
    this.listbox.addEventListener("mousemove", function (event) {
      var option = event.target.closest("[role='option']");
      if (option) {
        self.activate(self.options.indexOf(option), false);
      }
    });
    this.form.addEventListener("focusout", function (event) {
      if (!self.form.contains(event.relatedTarget)) {
        self.close();
      }
    });
    this.form.addEventListener("submit", function () {
      self.cancel();
      self.close();
    });
    // Coming back through the history (bfcache) must not show a stale list.
    window.addEventListener("pageshow", function () {
      self.close();
    });
  };

  Typeahead.prototype.query = function () {
    return this.input.value.trim();
  };

  Typeahead.prototype.schedule = function () {
    var self = this;
    window.clearTimeout(this.timer);
    if (this.query().length < MIN_CHARACTERS) {
      this.cancel();
      this.lastQuery = null;
      this.close();
      this.status.textContent = "";
      return;
    }
    this.timer = window.setTimeout(function () {
      self.fetch();
    }, DEBOUNCE_MS);
  };

  Typeahead.prototype.cancel = function () {
    window.clearTimeout(this.timer);
    if (this.controller) {
      this.controller.abort();
      this.controller = null;
    }
  };

  Typeahead.prototype.fetch = function () {
    var self = this;
    var query = this.query();
    if (query === this.lastQuery && this.options.length) {
      this.open();
      return;
    }
    this.cancel();
    var controller = new AbortController();
    this.controller = controller;
    var params = new URLSearchParams({ q: query, lang: this.language });
    window
      .fetch(this.labels.suggestUrl + "?" + params.toString(), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller.signal,
      })
      .then(function (response) {
        // 503 while search is down, or anything else unexpected: show nothing, say nothing.
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (controller.signal.aborted || self.controller !== controller) {
          return;
        }
        self.controller = null;
        if (!data || !Array.isArray(data.results)) {
          self.lastQuery = null;
          self.close();
          return;
        }
        self.lastQuery = query;
        self.render(query, data.results.slice(0, MAX_SUGGESTIONS), data.event);
      })
      .catch(function () {
        // Aborted by a newer keystroke, or offline: the form still works without suggestions.
      });
  };

  Typeahead.prototype.linkFor = function (result, rank, event) {
    if (event && this.labels.suggestClickUrl && isLocalPath(result.url)) {
      var params = new URLSearchParams({ e: event, r: String(rank), to: result.url });
      return this.labels.suggestClickUrl + "?" + params.toString();
    }
    return result.url;
  };

  Typeahead.prototype.render = function (query, results, event) {
    var self = this;
    var listId = this.listbox.id;
    // A late response must not take away the option the reader has just moved to with the keys:
    // if the same result is in the new list, it stays the active one.
    var activeKey = this.activeIndex >= 0 ? this.options[this.activeIndex].dataset.key : null;
    this.listbox.textContent = "";
    this.options = [];
    this.activeIndex = -1;
    this.input.removeAttribute("aria-activedescendant");

    if (!results.length) {
      this.close();
      this.status.textContent = this.labels.suggestNoneLabel || "";
      return;
    }

    results.forEach(function (result, index) {
      var option = document.createElement("li");
      var title = document.createElement("span");
      option.id = listId + "-" + index;
      option.className = "suggest-option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.href = self.linkFor(result, index + 1, event);
      option.dataset.key = result.url;
      title.className = "suggest-title";
      // Each title and snippet takes its own direction: an English title in a Persian list keeps
      // its full stop at its end.
      title.dir = "auto";
      title.textContent = result.title;
      // Council hits (only council members ever get them) say so, before the title.
      if (result.type === "council" && self.labels.suggestCouncilLabel) {
        var kind = document.createElement("span");
        kind.className = "suggest-type suggest-type-council";
        kind.textContent = self.labels.suggestCouncilLabel;
        option.appendChild(kind);
        option.appendChild(document.createTextNode(" "));
      }
      option.appendChild(title);
      if (result.snippet) {
        var snippet = document.createElement("span");
        snippet.className = "suggest-snippet";
        snippet.dir = "auto";
        snippet.appendChild(snippetFragment(result.snippet));
        option.appendChild(snippet);
      }
      self.listbox.appendChild(option);
      self.options.push(option);
    });

    var seeAll = document.createElement("li");
    seeAll.id = listId + "-all";
    seeAll.className = "suggest-option suggest-see-all";
    seeAll.setAttribute("role", "option");
    seeAll.setAttribute("aria-selected", "false");
    seeAll.dataset.key = "";
    seeAll.appendChild(withQuery(this.labels.suggestSeeAllLabel, query));
    this.listbox.appendChild(seeAll);
    this.options.push(seeAll);

    this.open();
    if (activeKey !== null) {
      this.activate(
        this.options.findIndex(function (option) {
          return option.dataset.key === activeKey;
        }),
        false
      );
    }
    this.status.textContent = format(
      this.labels.suggestCountLabel,
      new Intl.NumberFormat(document.documentElement.lang || undefined).format(results.length)
    );
  };

  Typeahead.prototype.isOpen = function () {
    return !this.listbox.hidden;
  };

  Typeahead.prototype.open = function () {
    if (!this.options.length) {
      return;
    }
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  Typeahead.prototype.close = function () {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.activate(-1, false);
  };

  Typeahead.prototype.activate = function (index, scroll) {
    this.options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    this.activeIndex = index;
    if (index < 0) {
      this.input.removeAttribute("aria-activedescendant");
      return;
    }
    this.input.setAttribute("aria-activedescendant", this.options[index].id);
    if (scroll !== false) {
      this.options[index].scrollIntoView({ block: "nearest" });
    }
  };

  Typeahead.prototype.move = function (step) {
    if (!this.isOpen()) {
      if (this.options.length && this.query() === this.lastQuery) {
        this.open();
        this.activate(step > 0 ? 0 : this.options.length - 1);
      } else if (this.query().length >= MIN_CHARACTERS) {
        this.fetch();
      }
      return;
    }
    var count = this.options.length;
    // Past either end the active option goes back to none: the reader is editing the text again.
    var next = this.activeIndex + step;
    if (this.activeIndex < 0) {
      next = step > 0 ? 0 : count - 1;
    } else if (next < 0 || next >= count) {
      next = -1;
    }
    this.activate(next);
  };

  Typeahead.prototype.choose = function (index) {
    var option = this.options[index];
    if (!option) {
      return;
    }
    if (option.dataset.href) {
      this.close();
      window.location.assign(option.dataset.href);
      return;
    }
    this.close();
    if (this.form.requestSubmit) {
      this.form.requestSubmit();
    } else {
      this.form.submit();
    }
  };

  Typeahead.prototype.onKeydown = function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.isComposing) {
      return;
    }
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        this.move(1);
        break;
      case "ArrowUp":
        event.preventDefault();
        this.move(-1);
        break;
      case "Enter":
        if (this.isOpen() && this.activeIndex >= 0) {
          event.preventDefault();
          this.choose(this.activeIndex);
        }
        break;
      case "Escape":
        // The first Escape only closes the list; with it closed, the browser clears the field.
        if (this.isOpen()) {
          event.preventDefault();
          this.cancel();
          this.close();
        }
        break;
      default:
        break;
    }
  };

  document.querySelectorAll("form.search-form[data-suggest-url]").forEach(function (form) {
    if (form.querySelector("input[name='q']")) {
      new Typeahead(form);
    }
  });
})();
