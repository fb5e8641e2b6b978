/* konvergensi publication site: sortable, searchable tables and the status switch.
   Plain JavaScript, no library. The tables are complete HTML without it; this script only
   adds sorting buttons, the search box and the one-status-at-a-time view. It formats no
   number: it sorts on the published values in data-urut. */
(function () {
  "use strict";

  function cellValue(row, index) {
    var cell = row.children[index];
    return cell ? cell.getAttribute("data-urut") || "" : "";
  }

  function compare(a, b, numeric) {
    if (a === "" && b === "") { return 0; }
    if (a === "") { return 1; }   /* empty (hidden or no data) always last */
    if (b === "") { return -1; }
    if (numeric) { return parseFloat(a) - parseFloat(b); }
    return a.localeCompare(b, "id", { sensitivity: "base" });
  }

  function sortTable(table, index, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var current = th.getAttribute("aria-sort");
    var direction = current === "ascending" ? "descending" : "ascending";
    var numeric = th.classList.contains("angka");
    rows.sort(function (r1, r2) {
      var a = cellValue(r1, index), b = cellValue(r2, index);
      if (a === "" || b === "") { return compare(a, b, numeric); }
      var c = compare(a, b, numeric);
      return direction === "ascending" ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) {
      h.setAttribute("aria-sort", "none");
    });
    th.setAttribute("aria-sort", direction);
  }

  function addSortButtons(table) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, index) {
      var label = th.querySelector(".urut-label");
      if (!label) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "urut";
      button.appendChild(label.cloneNode(true));
      var hint = document.createElement("span");
      hint.className = "sr";
      hint.textContent = " (urutkan)";
      button.appendChild(hint);
      label.replaceWith(button);
      button.addEventListener("click", function () { sortTable(table, index, th); });
    });
  }

  function countText(shown, total) {
    return shown === total ? total + " baris" : shown + " dari " + total + " baris ditampilkan";
  }

  function addSearch(input) {
    var table = document.getElementById(input.getAttribute("data-tabel"));
    var out = document.getElementById("jumlah-" + table.id);
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    out.textContent = countText(rows.length, rows.length);
    input.addEventListener("input", function () {
      var q = input.value.trim().toLocaleLowerCase("id");
      var shown = 0;
      rows.forEach(function (r) {
        var hay = (r.cells[0].textContent + " " + (r.cells[1] ? r.cells[1].textContent : "")).toLocaleLowerCase("id");
        var hit = q === "" || hay.indexOf(q) !== -1;
        r.hidden = !hit;
        if (hit) { shown += 1; }
      });
      out.textContent = countText(shown, rows.length);
    });
  }

  function showStatus(value) {
    document.querySelectorAll("[data-tampil]").forEach(function (t) {
      t.setAttribute("data-tampil", value);
    });
  }

  document.querySelectorAll("[data-perlu-js]").forEach(function (el) { el.hidden = false; });
  document.querySelectorAll("table.tabel-data").forEach(addSortButtons);
  document.querySelectorAll(".cari input[type=search]").forEach(addSearch);
  var radios = document.querySelectorAll("input[name=indikator]");
  radios.forEach(function (r) {
    r.addEventListener("change", function () { if (r.checked) { showStatus(r.value); } });
  });
  var checked = document.querySelector("input[name=indikator]:checked");
  if (checked) { showStatus(checked.value); }
}());
