/* One live socket for every page that listens (forum topics, the council's ideas): it connects to
   `path` on this origin, hands each JSON event to handlers[event.type], marks root.dataset.liveState
   "open"/"closed", and reconnects with a growing delay (1 s doubling to 30 s), except after the
   server's "not allowed" close (4403), where it calls onRefused() and stays closed. */
(function () {
  "use strict";

  var NOT_ALLOWED = 4403;

  window.openLiveSocket = function (root, path, handlers, onRefused) {
    var retryDelay = 1000;

    function connect() {
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      var socket = new WebSocket(scheme + window.location.host + path);
      socket.addEventListener("open", function () {
        retryDelay = 1000;
        root.dataset.liveState = "open";
      });
      socket.addEventListener("message", function (incoming) {
        var event;
        try {
          event = JSON.parse(incoming.data);
        } catch (error) {
          return;
        }
        var handler = handlers[event.type];
        if (handler) {
          handler(event);
        }
      });
      socket.addEventListener("close", function (closing) {
        root.dataset.liveState = "closed";
        if (closing.code === NOT_ALLOWED) {
          if (onRefused) {
            onRefused();
          }
          return;
        }
        window.setTimeout(connect, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 30000);
      });
    }

    connect();
  };
})();
