// The workspace without signal (every page; docs/workspace.md, "Offline").
//
// * Registers the service worker (/workspace/sw.js, scope /workspace), which keeps the pages
//   opened, and asks it to keep the audit forms of the artisan on screen.
// * The audit form (form[data-outbox]): "save" first keeps the audit in this browser
//   (IndexedDB, the outbox), under the form's idempotency key — an id made here, in the
//   browser, when the form opens — then sends it. Without an answer it stays "waiting to
//   send" and goes when the connection returns, with the same key: the registry records
//   one audit per key, so a retry after a lost answer records nothing twice. The outbox
//   forgets an audit only when the registry has recorded it (a redirect to its page); a
//   refusal is shown and the draft kept; a session that ended asks to sign in again.
// * Progressive enhancement: without this script (or IndexedDB) the form posts as usual.
(function () {
  "use strict";
  var box = document.getElementById("outbox");
  if (!box || !window.indexedDB || !window.fetch || !window.FormData || !window.Promise) { return; }
  var viewer = document.body.getAttribute("data-viewer") || "";
  var listing = document.getElementById("outbox-list");
  var status = document.getElementById("outbox-status");
  var STORE = "outbox";
  var AUDIT_PAGE = /^\/workspace\/audits\/\d+$/;

  function word(key) { return box.getAttribute("data-w-" + key.replace(/_/g, "-")) || ""; }

  // --- IndexedDB ----------------------------------------------------------------------
  function database() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open("khatem-workspace", 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "id" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function transact(mode, work) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        // "strict": the audit is on disk before the outbox says it is kept (a dead battery).
        var tx = db.transaction(STORE, mode, { durability: "strict" });
        var request = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }
  function keep(entry) { return transact("readwrite", function (s) { return s.put(entry); }); }
  function forget(id) { return transact("readwrite", function (s) { return s["delete"](id); }); }
  function one(id) { return transact("readonly", function (s) { return s.get(id); }); }
  function all() { return transact("readonly", function (s) { return s.getAll(); }); }

  // --- The idempotency key: made here, once per audit ---------------------------------
  function uuid() {
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // --- Showing the outbox -------------------------------------------------------------
  function note(text) {
    status.textContent = text;
    if (text) { box.hidden = false; }
  }
  function button(label, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "link";
    b.textContent = label;
    b.addEventListener("click", action);
    return b;
  }
  function show() {
    return all().then(function (entries) {
      listing.textContent = "";
      entries.sort(function (a, b) { return a.created - b.created; });
      entries.forEach(function (entry) {
        var item = document.createElement("li");
        item.setAttribute("data-outbox-id", entry.id);
        item.setAttribute("data-state", entry.state);
        var title = document.createElement("strong");
        title.textContent = entry.title;
        var state = document.createElement("p");
        state.className = "outbox-state";
        if (entry.owner !== viewer) {
          state.textContent = word("other_person");
        } else if (entry.state === "refused") {
          state.textContent = word("refused") + " " + entry.message;
          state.className += " field-error";
        } else if (entry.state === "signin") {
          state.textContent = word("signin") + " ";
          var link = document.createElement("a");
          link.href = "/login?next=" + encodeURIComponent(location.pathname + location.search);
          link.textContent = word("sign_in");
          state.appendChild(link);
        } else {
          state.textContent = word("waiting");
          state.className += " badge pending";
        }
        item.appendChild(title);
        item.appendChild(state);
        if (entry.owner === viewer) {
          var actions = document.createElement("p");
          actions.className = "outbox-actions";
          actions.appendChild(button(word("send_now"), function () { flush(true); }));
          var open = document.createElement("a");
          open.href = entry.page + "#draft=" + encodeURIComponent(entry.id);
          open.textContent = word("open");
          actions.appendChild(open);
          actions.appendChild(button(word("discard"), function () {
            if (window.confirm(word("discard_confirm"))) { forget(entry.id).then(show); }
          }));
          item.appendChild(actions);
        }
        listing.appendChild(item);
      });
      box.hidden = entries.length === 0 && !status.textContent;
    }, function () { return null; });
  }

  // --- Sending ------------------------------------------------------------------------
  function token() {
    var field = document.querySelector("input[name=csrf_token]");
    return field ? field.value : "";
  }
  function words(node) { return node ? node.textContent.replace(/\s+/g, " ").trim().slice(0, 600) : ""; }

  function settle(entry, state, message) {
    entry.state = state;
    entry.message = message || "";
    entry.attempts = (entry.attempts || 0) + 1;
    return keep(entry).then(function () { return { state: state }; });
  }

  // One attempt; the answer says what became of the audit:
  // {state: "sent", url} | {state: "waiting"} | {state: "signin"} | {state: "refused", page}.
  function send(entry) {
    var body = new FormData();
    entry.fields.forEach(function (pair) {
      if (pair[1] instanceof Blob) { body.append(pair[0], pair[1], pair[1].name || "photo.jpg"); }
      else { body.append(pair[0], pair[1]); }
    });
    // This session's CSRF token (the one kept with the draft may belong to an ended one).
    body.append("csrf_token", token());
    return fetch(entry.action, { method: "POST", body: body, credentials: "same-origin" }).then(function (response) {
      var path = new URL(response.url).pathname;
      if (response.redirected && AUDIT_PAGE.test(path)) {
        // Recorded (now or by an earlier attempt whose answer was lost): forget the draft.
        return forget(entry.id).then(function () { return { state: "sent", url: response.url }; });
      }
      if (path === "/login") { return settle(entry, "signin"); }
      return response.text().then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var problem = page.querySelector("[data-problem]");
        if (problem && problem.getAttribute("data-problem") === "csrf-refused") { return settle(entry, "signin"); }
        var message = words(page.querySelector("#form-error")) || words(page.querySelector("main"));
        return settle(entry, "refused", message).then(function () { return { state: "refused", page: page }; });
      });
    }, function () {
      return settle(entry, "waiting");
    });
  }

  var sending = false;
  function flush(refusedToo) {
    if (sending || !viewer || navigator.onLine === false) { return Promise.resolve(); }
    sending = true;
    function run() {
      return all().then(function (entries) {
        var mine = entries.filter(function (e) { return e.owner === viewer && (refusedToo || e.state !== "refused"); });
        return mine.reduce(function (previous, entry) {
          return previous.then(function () {
            return send(entry).then(function (result) {
              // What the last attempt says; the list says the rest.
              if (result.state === "sent") { note(word("sent")); }
              else if (result.state !== "waiting") { note(""); }
            });
          });
        }, Promise.resolve());
      });
    }
    // One tab sends at a time (two would still record once: the same key).
    var done = navigator.locks ? navigator.locks.request("khatem-outbox", run) : run();
    return done.then(null, function () { return null; }).then(function () { sending = false; return show(); });
  }

  // --- The audit form -----------------------------------------------------------------
  function fieldsOf(form) {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "csrf_token") { return; }
      if (value instanceof Blob && !value.size) { return; }  // a file field left empty
      fields.push([name, value]);
    });
    return fields;
  }

  function replaceMain(page) {
    var main = document.getElementById("main");
    var answer = page.getElementById("main");
    if (!main || !answer || !answer.querySelector("form[data-outbox]")) { return false; }
    main.textContent = "";
    Array.prototype.forEach.call(answer.childNodes, function (node) { main.appendChild(document.importNode(node, true)); });
    document.dispatchEvent(new CustomEvent("khatem:form-replaced"));
    var summary = document.getElementById("form-error");
    if (summary) { summary.focus(); }
    return true;
  }

  function submitted(event) {
    var form = event.target;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-outbox") || !viewer) { return; }
    event.preventDefault();
    var submit = form.querySelector("button[type=submit]");
    var entry = {
      id: form.elements.idempotency_key.value,
      owner: viewer,
      action: new URL(form.action, location.href).pathname,
      page: form.getAttribute("data-page") || location.pathname + location.search,
      title: form.getAttribute("data-title") || document.title,
      created: Date.now(),
      state: "waiting",
      message: "",
      attempts: 0,
      fields: fieldsOf(form)
    };
    if (submit) { submit.disabled = true; }
    keep(entry).then(function () {
      if (navigator.onLine === false) {
        // Known to be offline: not even an attempt (it would only fail); kept, waiting.
        if (submit) { submit.disabled = false; }
        note(word("saved"));
        return show();
      }
      note(word("sending"));
      return show().then(function () { return send(entry); }).then(function (result) {
        if (result.state === "sent") { location.assign(result.url); return; }
        if (submit) { submit.disabled = false; }
        if (result.state === "refused" && result.page && replaceMain(result.page)) { note(""); }
        else if (result.state === "waiting") { note(word("saved")); }
        else { note(""); }
        return show();
      });
    }, function () {
      // No IndexedDB here (a private window, a full disk): the plain form post.
      HTMLFormElement.prototype.submit.call(form);
    });
  }

  function restore(form, entry) {
    form.elements.idempotency_key.value = entry.id;
    var values = {};
    entry.fields.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    Array.prototype.forEach.call(form.elements, function (field) {
      var given = values[field.name];
      if (!field.name || field.name === "csrf_token" || field.name === "idempotency_key") { return; }
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = !!given && given.indexOf(field.value) !== -1;
      } else if (field.type === "file") {
        if (!given || !window.DataTransfer) { return; }
        var files = new DataTransfer();
        given.forEach(function (file) { if (file instanceof Blob) { files.items.add(file); } });
        field.files = files.files;
      } else if (given && typeof given[0] === "string" && field.type !== "hidden") {
        field.value = given[0];
      }
    });
    ["kept_sha256", "kept_name"].forEach(function (name) {
      if (form.querySelector("input[name=" + name + "]")) { return; }
      (values[name] || []).forEach(function (value) {
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = name;
        hidden.value = value;
        form.appendChild(hidden);
      });
    });
    form.dispatchEvent(new Event("input", { bubbles: true }));
    note(word("restored") + (entry.message ? " " + entry.message : ""));
  }

  function prepareForm() {
    var form = document.querySelector("form[data-outbox]");
    if (!form || !form.elements.idempotency_key) { return; }
    var wanted = /^#draft=([A-Za-z0-9-]{1,100})$/.exec(location.hash);
    if (wanted) {
      one(decodeURIComponent(wanted[1])).then(function (entry) {
        if (entry && entry.owner === viewer && entry.action === new URL(form.action, location.href).pathname) {
          restore(form, entry);
        }
      });
    } else if (form.hasAttribute("data-fresh")) {
      // A form as first served (maybe a kept copy, served again): a new audit, a new id.
      form.elements.idempotency_key.value = uuid();
    }
  }

  // --- Keeping pages for later: the audit forms of the artisan on screen --------------
  function keepForms() {
    var opener = document.querySelector("form[data-keep-forms]") || document.querySelector("form[action$='/audits/new']");
    if (!opener || !navigator.serviceWorker) { return; }
    var select = opener.querySelector("select[name=scheme]");
    if (!select) { return; }
    var base = new URL(opener.action, location.href).pathname;
    var urls = Array.prototype.map.call(select.options, function (option) {
      return option.value ? base + "?scheme=" + encodeURIComponent(option.value) : "";
    }).filter(Boolean);
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) { registration.active.postMessage({ type: "keep", urls: urls }); }
    });
  }

  document.addEventListener("submit", submitted);
  document.addEventListener("khatem:form-replaced", prepareForm);
  window.addEventListener("hashchange", prepareForm);  // "open the draft" on its own form
  window.addEventListener("online", function () { flush(false); });
  window.addEventListener("offline", function () { note(word("offline")); });
  if (viewer && navigator.serviceWorker && navigator.onLine !== false) {
    navigator.serviceWorker.register("/workspace/sw.js", { scope: "/workspace" }).then(keepForms, function () { return null; });
  }
  prepareForm();
  if (navigator.onLine === false) { note(word("offline")); }
  show().then(function () { flush(false); });
  // While something waits, try again now and then (the "online" event is not always told).
  window.setInterval(function () {
    if (listing.children.length) { flush(false); }
  }, 30000);
})();
