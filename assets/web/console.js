// Draws the dashboard's charts with Chart.js from the data each <canvas data-chart> carries.
// The tables next to them say the same, for anyone without scripts.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  if (typeof Chart === "undefined") { return; }
  var colours = ["#0b57d0", "#e8453c", "#188038", "#f29900", "#9334e6", "#12b5cb"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var spec = JSON.parse(canvas.getAttribute("data-chart"));
    new Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (s, i) {
          return { label: s.label, data: s.data, backgroundColor: colours[i % colours.length],
                   borderColor: colours[i % colours.length], tension: 0.2 };
        })
      },
      options: { responsive: true, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  });
});

// The session: five minutes before it ends, a notice with a button that keeps it (GET /session
// renews the cookie); once it has ended, a notice that the page's entries are kept in this
// browser and come back after logging in again. Nothing reloads the page.
(function () {
  var box = document.getElementById("session-warning");
  if (!box) { return; }
  function ends() {
    var m = document.cookie.match(/(?:^|; )em_session_ends=(\d+)/);
    return m ? parseInt(m[1], 10) * 1000 : 0;
  }
  function say(text, withButton) {
    box.textContent = text + " ";
    if (withButton) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = "로그인 유지하기";
      b.addEventListener("click", keep);
      box.appendChild(b);
    } else {
      var a = document.createElement("a");
      a.href = "/login?next=" + encodeURIComponent(location.pathname + location.search);
      a.textContent = "다시 로그인하기";
      box.appendChild(a);
    }
    box.hidden = false;
  }
  function keep() {
    fetch("/session", { credentials: "same-origin" }).then(function (r) {
      if (r.status !== 204) { ended(); return; }
      if (ends() - Date.now() < 5 * 60 * 1000) {
        // The session is at its own end (12 hours after logging in): it cannot be extended.
        say("로그인한 지 12시간이 되어 더 늘릴 수 없습니다. 쓰던 내용을 저장한 뒤 다시 로그인해 주세요.", false);
        said = 3;
      } else { box.hidden = true; said = 0; }
    }, function () { say("연결이 끊겼습니다. 잠시 후 다시 눌러 주세요.", true); });
  }
  function ended() {
    say("로그인 시간이 끝났습니다. 이 페이지에 쓰던 내용은 이 브라우저에 보관되어 다시 로그인하면 되살아납니다.", false);
  }
  var said = 0;
  function tick() {
    var end = ends();
    if (!end) { return; }
    var left = end - Date.now();
    if (left <= 0) { if (said !== 2) { ended(); said = 2; } return; }
    if (left < 5 * 60 * 1000) {
      if (said !== 1 && said !== 3) { say("5분 안에 로그인 시간이 끝납니다. 계속 쓰시려면 눌러 주세요.", true); said = 1; }
    } else if (said) { box.hidden = true; said = 0; }
  }
  tick();
  setInterval(tick, 15000);
}());

// A form marked data-keep keeps what is typed in this tab (sessionStorage) until it is saved;
// when the session ended before the form was sent, the owner logs in, comes back to this page,
// and finds the entries again.
(function () {
  var form = document.querySelector("form[data-keep]");
  if (!form || !window.sessionStorage) { return; }
  var key = "em_form:" + location.pathname;
  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrf" && el.type !== "hidden" && el.type !== "password" &&
        el.type !== "submit" && el.type !== "button";
    });
  }
  var ticks = function (el) { return el.type === "checkbox" || el.type === "radio"; };
  function save() {
    // A group of boxes under one name keeps every ticked value.
    var values = {};
    fields().forEach(function (el) {
      if (ticks(el)) {
        values[el.name] = values[el.name] || [];
        if (el.checked) { values[el.name].push(el.value); }
      } else { values[el.name] = el.value; }
    });
    sessionStorage.setItem(key, JSON.stringify(values));
  }
  var saved = sessionStorage.getItem(key);
  sessionStorage.removeItem(key);
  if (saved && document.referrer.indexOf("/login") !== -1) {
    var values = JSON.parse(saved);
    fields().forEach(function (el) {
      if (!(el.name in values)) { return; }
      if (ticks(el)) { el.checked = [].concat(values[el.name]).indexOf(el.value) !== -1; }
      else { el.value = values[el.name]; }
    });
    var note = document.createElement("p");
    note.className = "notice";
    note.setAttribute("role", "status");
    note.textContent = "로그인이 끝나기 전에 쓰던 내용을 되살렸습니다. 확인한 뒤 저장해 주세요.";
    form.insertBefore(note, form.firstChild);
  }
  form.addEventListener("input", save);
  form.addEventListener("submit", save);
}());

// Pages that follow a job or a post's progress (data-poll="seconds" on a [data-live] part):
// the page asks itself again in the background and puts the new part in place, instead of
// reloading every few seconds. When the part is gone (the job has finished: the page is now its
// result), the page is opened once more. Without scripts, the link on the page does the same.
(function () {
  var live = document.querySelector("[data-live][data-poll]");
  if (!live || !window.fetch || !window.DOMParser) { return; }
  var every = Math.max(2, parseInt(live.getAttribute("data-poll"), 10) || 3) * 1000;
  function poll() {
    fetch(location.href, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var next = doc.getElementById(live.id);
      if (!next) { location.replace(location.href); return; }
      // Nothing is swapped under the owner's hand (a focused button), nor when nothing changed.
      var busy = live.contains(document.activeElement);
      if (!busy && live.innerHTML !== next.innerHTML) { live.innerHTML = next.innerHTML; }
      if (next.hasAttribute("data-poll")) { setTimeout(poll, every); }
      else { live.removeAttribute("data-poll"); }
    }).catch(function () { setTimeout(poll, every * 2); });
  }
  setTimeout(poll, every);
}());
