// The review page: keyboard first. Fields keep the value they were shown with in data-original;
// a save sends only what changed (correct / clear) and what was marked right (confirm).
(function () {
  "use strict";
  var dataNode = document.getElementById("review-data");
  if (!dataNode) { return; }
  var data = JSON.parse(dataNode.textContent);
  var form = document.getElementById("fields");
  var message = document.getElementById("message");
  var confirmed = {};  // field -> true: marked right, to be saved
  var leaveArmed = false;

  function inputs() { return Array.prototype.slice.call(form.querySelectorAll("input, select, textarea")); }
  function box(input) { return input.closest(".field"); }
  function say(text, kind) {
    message.textContent = text;
    message.className = kind || "";
  }
  function dirty(input) { return input.value.trim() !== input.dataset.original; }
  function anyPending() { return inputs().some(dirty) || Object.keys(confirmed).length > 0; }

  function mark(input) {
    box(input).classList.toggle("dirty", dirty(input));
    box(input).classList.toggle("confirming", !!confirmed[input.name]);
  }

  function light(name) {
    document.querySelectorAll("[data-labels].focus").forEach(function (m) { m.classList.remove("focus"); });
    var first = null;
    document.querySelectorAll("mark[data-labels], .box[data-labels]").forEach(function (m) {
      if (m.dataset.labels.split(" ").indexOf(name) >= 0) {
        m.classList.add("focus");
        first = first || m;
      }
    });
    if (first) { first.scrollIntoView({block: "nearest"}); }
  }

  function changes(acceptAll) {
    var out = [];
    inputs().forEach(function (input) {
      var value = input.value.trim();
      if (dirty(input)) {
        out.push(value === "" ? {field: input.name, action: "clear"}
                              : {field: input.name, action: "correct", value: value});
      } else if (confirmed[input.name] || acceptAll) {
        out.push({field: input.name, action: "confirm"});
      }
    });
    return out;
  }

  function show(fields) {
    fields.forEach(function (f) {
      var input = form.elements[f.name];
      if (!input) { return; }
      input.value = f.value === null ? "" : f.value;
      input.dataset.original = input.value;
      var b = box(input);
      b.className = "field" + (f.status ? " status-" + f.status : "");
      var names = {correct: "corrected", clear: "cleared", confirm: "marked right"};
      b.querySelector(".state").textContent = f.status ? names[f.status] + " by " + f.who : "";
    });
    confirmed = {};
  }

  function save(acceptAll) {
    var list = changes(acceptAll);
    if (!list.length) {
      say("nothing to save", "");
      return Promise.resolve(true);
    }
    say("saving…", "");
    return fetch(data.save, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json"},
      body: JSON.stringify({changes: list})
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) {
          say(body.error || ("error " + response.status), "error");
          var name = (body.error || "").split(":")[0];
          if (form.elements[name]) { box(form.elements[name]).classList.add("invalid"); form.elements[name].focus(); }
          return false;
        }
        show(body.fields);
        document.body.dataset.saved = String((Number(document.body.dataset.saved) || 0) + body.saved);
        say("saved " + body.saved + (body.saved === 1 ? " field" : " fields"), "ok");
        return true;
      });
    }).catch(function (err) {
      say("not saved: " + err, "error");
      return false;
    });
  }

  function go(url) {
    if (!url) { say("no more letters that way", ""); return; }
    if (anyPending() && !leaveArmed) {
      leaveArmed = true;
      say("unsaved changes: save first (Enter), or press again to leave them", "error");
      return;
    }
    window.location.href = url;
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); save(false); });
  // accept: the changes saved, every other field marked right, on to the next letter
  function accept() {
    save(true).then(function (ok) {
      if (!ok) { return; }
      if (data.next) { window.location.href = data.next; }
      else { say("accepted; that was the last letter in the queue", "ok"); }
    });
  }
  document.getElementById("accept").addEventListener("click", accept);
  inputs().forEach(function (input) {
    input.addEventListener("input", function () { delete confirmed[input.name]; box(input).classList.remove("invalid"); mark(input); leaveArmed = false; });
    input.addEventListener("change", function () { mark(input); });
    input.addEventListener("focus", function () { light(input.name); });
    var b = box(input);
    b.querySelector("button.right").addEventListener("click", function () { markRight(input); });
    b.querySelector("button.clear").addEventListener("click", function () { clearField(input); });
  });

  function markRight(input) {
    input.value = input.dataset.original;
    confirmed[input.name] = true;
    mark(input);
    say(input.name + " marked right (saved with the next save)", "");
  }
  function clearField(input) {
    input.value = "";
    delete confirmed[input.name];
    mark(input);
    say(input.name + " cleared (saved with the next save)", "");
  }

  document.addEventListener("keydown", function (event) {
    var t = event.target;
    var editing = t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA");
    if (editing && form.contains(t)) {
      if (event.key === "Escape") { t.blur(); event.preventDefault(); }
      else if (event.key === "Enter" && (t.tagName !== "TEXTAREA" || event.ctrlKey || event.metaKey)) { event.preventDefault(); save(false); }
      else if ((event.ctrlKey || event.metaKey) && event.key === "s") { event.preventDefault(); save(false); }
      else if (event.altKey && event.key === "r") { event.preventDefault(); markRight(t); }
      else if (event.altKey && event.key === "c") { event.preventDefault(); clearField(t); }
      return;
    }
    if (editing || event.ctrlKey || event.metaKey || event.altKey) { return; }
    var key = event.key;
    if (key === "j" || key === "n" || key === "ArrowRight") { go(data.next); }
    else if (key === "k" || key === "p" || key === "ArrowLeft") { go(data.prev); }
    else if (key === "e" || key === "Enter") { inputs()[0].focus(); }
    else if (key >= "1" && key <= "9" && inputs()[Number(key) - 1]) { inputs()[Number(key) - 1].focus(); }
    else if (key === "s") { save(false); }
    else if (key === "a") { accept(); }
    else if (key === "?") { document.getElementById("help").showModal(); }
    else { return; }
    event.preventDefault();
  });

  // a page that cannot be shown says why (the source moved or changed) instead of a broken picture
  document.querySelectorAll("figure.page img").forEach(function (img) {
    img.addEventListener("error", function () {
      fetch(img.src, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (body) {
        var note = document.createElement("p");
        note.className = "error";
        note.textContent = "page " + img.dataset.page + " cannot be shown: " + body.error;
        img.replaceWith(note);
      }).catch(function () {});
    });
  });
  var current = document.querySelector(".queue li.current");
  if (current) { current.scrollIntoView({block: "nearest"}); }
  document.body.dataset.ready = "yes";
})();
