/*
 * A topic page that updates while it is open: new replies, edits, votes and the accepted answer.
 *
 * The websocket (forum.consumers.TopicConsumer) sends only what changed, by id
 * ({"type": "post.created", "post": 81, "position": 12}); the HTML comes from the
 * permission-checked fragment endpoint (forum.views.live.post_fragment), which answers 404 for a
 * post this reader may not see. Replies are appended only when they belong to the page being
 * read; otherwise a notice links to them. Strings come from data-* attributes filled by gettext.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-forum-live]");
  if (!root || !window.WebSocket || !window.fetch) {
    return;
  }

  var data = root.dataset;
  var pageNumber = parseInt(data.pageNumber, 10) || 1;
  var perPage = parseInt(data.postsPerPage, 10) || 20;
  var lastPage = Math.max(1, Math.ceil((parseInt(data.lastPosition, 10) || 1) / perPage));
  var notice = root.querySelector("[data-live-notice]");
  var noticeLink = root.querySelector("[data-live-notice-link]");
  var status = root.querySelector("[data-live-status]");
  var message = root.querySelector("[data-live-message]");
  var unseen = [];

  /*
   * A count in the page language's digits, as the server writes it (sitewide.numerals): the
   * browser's own locale data gives Persian digits for "fa" and Western ones for "he" and "ru".
   */
  var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined, { useGrouping: false });

  function format(label, values) {
    return label.replace(/%\((\w+)\)s/g, function (match, name) {
      return name in values ? values[name] : match;
    });
  }

  function announce(text) {
    // Cleared first so that the same words twice are still read out.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = text;
    }, 50);
  }

  function pageOf(position) {
    return Math.floor((position - 1) / perPage) + 1;
  }

  function fragment(postId, section) {
    var url = data.fragmentUrl.replace(/\/posts\/0\//, "/posts/" + postId + "/");
    if (section) {
      url += "?section=" + encodeURIComponent(section);
    }
    return fetchElement(url);
  }

  function fetchElement(url) {
    return fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } }).then(function (response) {
      if (response.status === 404) {
        return null;
      }
      if (!response.ok) {
        throw new Error("fragment " + response.status);
      }
      return response.text().then(function (html) {
        var template = document.createElement("template");
        template.innerHTML = html.trim();
        return template.content.firstElementChild;
      });
    });
  }

  function replace(id, element) {
    var current = document.getElementById(id);
    if (current && element) {
      current.replaceWith(element);
    }
    return current;
  }

  /*
   * The reply count in the topic's header, as the server words it in the page language (a
   * plural the browser cannot choose by itself). Several events close together ask once.
   */
  var countTimer = null;
  function refreshReplyCount() {
    window.clearTimeout(countTimer);
    countTimer = window.setTimeout(function () {
      fetchElement(data.replyCountUrl).then(function (count) {
        var current = document.querySelector(".topic-header [data-reply-count]");
        if (count && current) {
          current.replaceWith(count);
        }
      });
    }, 100);
  }

  /* The accepted answer in the conversation on page 1 is a pointer to its full copy above. */
  function inThreadSection(article) {
    return article && article.hasAttribute("data-accepted-pointer") ? "pointer" : "";
  }

  function authorOf(article) {
    var author = article.querySelector(".post-author a, .post-author span");
    return author ? author.textContent.trim() : "";
  }

  /* --- One handler per event type -------------------------------------------------------------- */

  function postCreated(event) {
    refreshReplyCount();
    if (event.position > lastPage * perPage) {
      lastPage = pageOf(event.position);
    }
    if (document.getElementById("post-" + event.position)) {
      return; // the reader's own reply, already on the page after posting
    }
    if (pageOf(event.position) !== pageNumber) {
      if (unseen.indexOf(event.post) === -1) {
        unseen.push(event.post);
      }
      noticeLink.textContent = format(data.labelNewReplies, { count: numbers.format(unseen.length) });
      noticeLink.href = "?page=" + pageOf(event.position) + "#post-" + event.position;
      notice.hidden = false;
      announce(noticeLink.textContent);
      return;
    }
    fragment(event.post).then(function (article) {
      if (!article || document.getElementById(article.id)) {
        return;
      }
      article.classList.add("is-live");
      root.parentNode.insertBefore(article, root);
      announce(format(data.labelNewReply, { name: authorOf(article) }));
    });
  }

  function postEdited(event) {
    refreshReplyCount(); // hidden, shown again or deleted: the count may have changed
    ["post-", "accepted-"].forEach(function (prefix) {
      var id = prefix + event.position;
      var current = document.getElementById(id);
      if (!current) {
        return;
      }
      fragment(event.post, prefix === "accepted-" ? "accepted" : inThreadSection(current)).then(function (element) {
        if (element && prefix === "accepted-") {
          element = element.querySelector("article") || element;
        }
        if (element) {
          replace(id, element);
          return;
        }
        var body = current.querySelector(".post-body");
        if (body) {
          var placeholder = document.createElement("p");
          placeholder.className = "post-placeholder";
          placeholder.textContent = data.labelUnavailable;
          body.replaceWith(placeholder);
        }
      });
    });
  }

  function postVoted(event) {
    var shown = [];
    ["post-", "accepted-"].forEach(function (prefix) {
      var article = document.getElementById(prefix + event.position);
      var score = article && article.querySelector("[data-score]");
      if (score) {
        score.textContent = numbers.format(event.score);
        shown.push(article);
      }
    });
    if (shown.length) {
      // The unit after the number ("1 vote", "2 votes") in the page language's plural.
      fragment(event.post, "score").then(function (box) {
        shown.forEach(function (article) {
          var current = article.querySelector("[data-score-box]");
          if (box && current) {
            current.replaceWith(box.cloneNode(true));
          }
        });
      });
    }
  }

  function answerAccepted(event) {
    var opening = document.getElementById("post-1");
    var onTop = pageNumber === 1 && opening;
    document.querySelectorAll("article.post.is-accepted").forEach(function (article) {
      if (article.hasAttribute("data-accepted-pointer") && article.id !== "post-" + event.position) {
        // The answer accepted before: its text comes back into the conversation.
        var previous = article.id;
        fragment(article.dataset.post, "").then(function (full) {
          replace(previous, full);
        });
        return;
      }
      if (article.id !== "post-" + event.position) {
        article.classList.remove("is-accepted");
        article.querySelectorAll(".post-meta .badge-solved").forEach(function (badge) {
          badge.remove();
        });
      }
    });
    var solved = document.querySelector(".topic-header .meta .badge");
    if (solved && !solved.classList.contains("badge-solved")) {
      solved.classList.add("badge-solved");
      solved.textContent = data.labelSolved;
    }
    if (document.getElementById("post-" + event.position)) {
      fragment(event.post, onTop ? "pointer" : "").then(function (article) {
        replace("post-" + event.position, article);
      });
    }
    if (onTop) {
      fragment(event.post, "accepted").then(function (section) {
        if (!section) {
          return;
        }
        var existing = document.querySelector(".accepted-answer");
        if (existing) {
          existing.replaceWith(section);
        } else {
          opening.after(section);
        }
      });
    }
    announce(data.labelAccepted);
  }

  function topicChanged() {
    showNotice(data.labelChanged + " ", data.labelReload);
  }

  function notificationCreated(event) {
    var bell = document.querySelector("[data-notification-bell]");
    if (bell) {
      var count = bell.querySelector("[data-unread-count]");
      count.textContent = numbers.format(event.unread);
      count.hidden = !event.unread;
      bell.setAttribute(
        "aria-label",
        event.unread ? format(bell.dataset.labelSome, { count: numbers.format(event.unread) }) : bell.dataset.labelNone
      );
    }
    announce(data.labelNotification);
  }

  function showNotice(text, linkText) {
    message.textContent = text;
    if (linkText) {
      var link = document.createElement("a");
      link.href = window.location.href.split("#")[0];
      link.textContent = linkText;
      message.appendChild(link);
    }
    message.hidden = false;
  }

  var handlers = {
    "post.created": postCreated,
    "post.edited": postEdited,
    "post.voted": postVoted,
    "answer.accepted": answerAccepted,
    "topic.changed": topicChanged,
    "notification.created": notificationCreated,
  };

  /* --- The socket (static/js/live-socket.js reconnects it with a growing delay) ---------------- */

  window.openLiveSocket(root, data.socketPath, handlers, function () {
    showNotice(data.labelRefused);
  });
})();
