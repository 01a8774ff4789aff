/* Paste or drop images into any textarea that carries data-media-upload-url="…": each image is
   sent to that address (the media library's upload endpoint, with the page's CSRF token), a
   placeholder stands at the cursor while it travels, and the Markdown the server answers takes
   its place. The textarea then receives an "input" event (autosave and preview follow) and a
   "media:uploaded" event whose detail is the server's answer ({id, markdown, edit_url, …}).
   A refusal (not an image, too large…) removes the placeholder and is said in a status line
   under the textarea. No library, no inline script. */
(function () {
  "use strict";

  var WORDS = {
    en: { uploading: "Uploading", done: "Image uploaded.", failed: "The image was not uploaded:" },
    fr: { uploading: "Envoi de", done: "Image envoyée.", failed: "L’image n’a pas été envoyée :" }
  };
  var counter = 0;

  function words() {
    var lang = (document.documentElement.lang || "en").slice(0, 2).toLowerCase();
    return WORDS[lang] || WORDS.en;
  }

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (field && field.value) {
      return field.value;
    }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function statusLine(area) {
    var next = area.nextElementSibling;
    if (next && next.classList.contains("media-upload-status")) {
      return next;
    }
    var line = document.createElement("p");
    line.className = "media-upload-status";
    line.setAttribute("role", "status");
    line.setAttribute("aria-live", "polite");
    area.parentNode.insertBefore(line, area.nextSibling);
    return line;
  }

  function changed(area) {
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // Insert a block of Markdown at the cursor, on its own paragraph (a figure).
  function insertBlock(area, text) {
    var value = area.value;
    var start = area.selectionStart;
    var end = area.selectionEnd;
    var before = value.slice(0, start);
    var after = value.slice(end);
    var lead = before === "" || /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
    var trail = after === "" || /^\n\n/.test(after) ? "" : /^\n/.test(after) ? "\n" : "\n\n";
    area.value = before + lead + text + trail + after;
    var caret = (before + lead + text).length;
    area.setSelectionRange(caret, caret);
  }

  function replace(area, placeholder, text) {
    var index = area.value.indexOf(placeholder);
    if (index < 0) {
      if (text) {
        insertBlock(area, text);
      }
      return;
    }
    var start = area.selectionStart;
    var end = area.selectionEnd;
    var before = area.value.slice(0, index);
    var after = area.value.slice(index + placeholder.length);
    if (!text) {
      // Take back the blank lines the placeholder was given, too.
      if (/\n\n$/.test(before) && (after === "" || /^\n\n/.test(after))) {
        before = before.slice(0, -2);
      } else if (before === "" && /^\n\n/.test(after)) {
        after = after.slice(2);
      }
    }
    var removed = area.value.length - before.length - after.length;
    var shift = text.length - removed;
    var limit = index + placeholder.length;
    area.value = before + text + after;
    area.setSelectionRange(
      start >= limit ? start + shift : Math.min(start, before.length + text.length),
      end >= limit ? end + shift : Math.min(end, before.length + text.length)
    );
  }

  // Send one file; resolves with the server's answer ({id, markdown, …}), rejects with an
  // Error whose message is the server's reason.
  function send(url, file) {
    var data = new FormData();
    data.append("file", file, file.name || "image.png");
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" }
    }).then(function (response) {
      return response.json().then(
        function (body) {
          if (!response.ok) {
            throw new Error(body.error || "HTTP " + response.status);
          }
          return body;
        },
        function () {
          throw new Error("HTTP " + response.status);
        }
      );
    });
  }

  function upload(area, file) {
    counter += 1;
    var name = (file.name || "image").replace(/[\[\]]/g, "");
    var placeholder = "![" + words().uploading + " " + name + " (" + counter + ")…]()";
    insertBlock(area, placeholder);
    changed(area);
    var status = statusLine(area);
    return send(area.getAttribute("data-media-upload-url"), file).then(
      function (body) {
        replace(area, placeholder, body.markdown);
        status.textContent = words().done;
        changed(area);
        area.dispatchEvent(new CustomEvent("media:uploaded", { bubbles: true, detail: body }));
        return body;
      },
      function (error) {
        replace(area, placeholder, "");
        status.textContent = words().failed + " " + error.message;
        changed(area);
        return null;
      }
    );
  }

  function images(list) {
    var found = [];
    for (var i = 0; list && i < list.length; i += 1) {
      if (list[i].type && list[i].type.indexOf("image/") === 0) {
        found.push(list[i]);
      }
    }
    return found;
  }

  function target(event) {
    var node = event.target;
    return node && node.closest ? node.closest("textarea[data-media-upload-url]") : null;
  }

  document.addEventListener("paste", function (event) {
    var area = target(event);
    var files = area && event.clipboardData ? images(event.clipboardData.files) : [];
    if (!files.length) {
      return;
    }
    event.preventDefault();
    files.forEach(function (file) { upload(area, file); });
  });

  document.addEventListener("dragover", function (event) {
    if (target(event) && event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    }
  });

  // For editors that are not a plain textarea (or a button that picks files): send(url, file)
  // returns a promise of the server's answer; upload(area, file) does what a paste does.
  window.salonMedia = { send: send, upload: upload };

  document.addEventListener("drop", function (event) {
    var area = target(event);
    var files = area && event.dataTransfer ? images(event.dataTransfer.files) : [];
    if (!files.length) {
      return;
    }
    event.preventDefault();
    area.focus();
    files.forEach(function (file) { upload(area, file); });
  });
})();
