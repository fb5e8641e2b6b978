/* konvergensi publication site: the interactive map (Leaflet, vendored; no tiles, no network).
   window.PETA (data/peta.js) holds the boundaries as GeoJSON with the published figures as
   ready-made Indonesian text; this script only draws, colours and shows them. */
(function () {
  "use strict";
  var D = window.PETA;
  if (!D || !window.L) { return; }
  document.querySelectorAll("[data-perlu-js]").forEach(function (el) { el.hidden = false; });

  var state = { indikator: D.indikator[0], tingkat: D.lapisan.desa ? "desa" : "kecamatan", pinned: null };
  var map = L.map("peta", { zoomSnap: 0.25, attributionControl: false, keyboard: true, minZoom: 5 });
  var base = null;
  if (D.dasar) {
    base = L.geoJSON(D.dasar, { interactive: false,
      style: { color: "#5f6368", weight: 1.5, fillColor: "#ffffff", fillOpacity: 0.6 } }).addTo(map);
  }
  var layers = {};
  var outline = null;

  function cls(feature) { return feature.properties.indikator[state.indikator].kelas; }

  function style(feature) {
    var k = cls(feature);
    var p = feature.properties;
    var s = { color: "#ffffff", weight: 0.8, opacity: 1, fillOpacity: 0.9 };
    if (k === -1) { s.fillColor = D.warna_tanpa_data; }
    else if (k === -2) { s.fillColor = "url(#arsir-ditutup)"; s.fillOpacity = 1; }
    else {
      s.fillColor = D.warna[k];
      if (p.sedikit) { s.fillOpacity = 0.45; s.color = "#5f6368"; s.dashArray = "3 3"; s.weight = 1; }
    }
    return s;
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }

  function showInfo(p, level) {
    var box = document.getElementById("info-wilayah");
    box.innerHTML = "";
    var title = level === "desa" ? (p.jenis === "kelurahan" ? "Kelurahan " : "Desa ") + p.nama : "Kecamatan " + p.nama;
    box.appendChild(el("h2", title));
    if (level === "desa") { box.appendChild(el("p", "Kecamatan " + p.induk, "kecil")); }
    box.appendChild(el("p", "Balita diukur: " + p.diukur + (p.cakupan !== "–" ? " (cakupan " + p.cakupan + ")" : "")));
    if (p.sedikit) { box.appendChild(el("p", "Data sedikit: kurang dari " + D.min_diukur + " balita diukur.", "kecil")); }
    var t = el("table");
    var head = el("tr");
    ["Status", "Prevalensi", "Jumlah", "95 % CI (%)"].forEach(function (h) {
      var th = el("th", h); th.scope = "col"; head.appendChild(th);
    });
    if (D.ada_lalu) { var th2 = el("th", "Perubahan dari " + D.tahun_lalu); th2.scope = "col"; head.appendChild(th2); }
    var thead = el("thead"); thead.appendChild(head); t.appendChild(thead);
    var body = el("tbody");
    D.indikator.forEach(function (s) {
      var v = p.indikator[s];
      var tr = el("tr", null, s === state.indikator ? "terpilih" : "");
      var th = el("th", D.legenda[s].label.split(" (")[0]); th.scope = "row"; tr.appendChild(th);
      tr.appendChild(el("td", v.pct, "angka"));
      tr.appendChild(el("td", v.jumlah, "angka"));
      tr.appendChild(el("td", v.ci, "angka"));
      if (D.ada_lalu) { tr.appendChild(el("td", v.ubah, "angka")); }
      if (v.ket) { tr.title = v.ket; }
      body.appendChild(tr);
    });
    t.appendChild(body);
    box.appendChild(t);
  }

  function clearInfo() {
    var box = document.getElementById("info-wilayah");
    box.innerHTML = "";
    box.appendChild(el("p", "Arahkan penunjuk ke wilayah, ketuk, atau pilih dari daftar.", "petunjuk"));
  }

  function highlight(layer) {
    layer.setStyle({ weight: 3, color: "#1d1d1f", dashArray: null });
    layer.bringToFront();
  }

  function makeLayer(level) {
    return L.geoJSON(D.lapisan[level], {
      style: style,
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(feature.properties.nama + ": " + feature.properties.indikator[state.indikator].pct,
          { sticky: true });
        layer.on("mouseover", function () {
          if (!state.pinned) { highlight(layer); showInfo(feature.properties, level); }
        });
        layer.on("mouseout", function () {
          if (state.pinned !== layer) { layers[level].resetStyle(layer); }
          if (!state.pinned) { clearInfo(); }
        });
        layer.on("click", function () { pin(layer, level); });
      }
    });
  }

  function pin(layer, level) {
    if (state.pinned && state.pinned !== layer) { layers[state.tingkat].resetStyle(state.pinned); }
    state.pinned = layer;
    highlight(layer);
    showInfo(layer.feature.properties, level);
    var sel = document.getElementById("pilih-wilayah");
    sel.value = level + ":" + layer.feature.properties.kode;
  }

  function retitle(level) {
    layers[level].eachLayer(function (l) {
      l.setTooltipContent(l.feature.properties.nama + ": " + l.feature.properties.indikator[state.indikator].pct);
    });
  }

  function legend() {
    var box = document.getElementById("legenda");
    var L0 = D.legenda[state.indikator];
    box.innerHTML = "";
    box.appendChild(el("h2", L0.label + " (%)"));
    var ul = el("ul");
    function item(colour, text, extra) {
      var li = el("li");
      var sw = el("span", null, "kotak-warna" + (extra ? " " + extra : ""));
      if (colour) { sw.style.background = colour; }
      sw.setAttribute("aria-hidden", "true");
      li.appendChild(sw);
      li.appendChild(el("span", text));
      ul.appendChild(li);
    }
    L0.kelas.forEach(function (label, i) { item(D.warna[i], label); });
    item(D.warna[2], "data sedikit (< " + D.min_diukur + " balita diukur): warna pucat, garis putus", "sedikit");
    item(null, "ditutup (angka kecil, < " + D.k + " anak)", "ditutup");
    item(D.warna_tanpa_data, "tidak ada data");
    box.appendChild(ul);
    box.appendChild(el("p", "Kelas: " + L0.sumber + ".", "kecil"));
  }

  function showLevel(level) {
    if (outline) { map.removeLayer(outline); outline = null; }
    Object.keys(layers).forEach(function (k) { map.removeLayer(layers[k]); });
    state.tingkat = level;
    state.pinned = null;
    if (!layers[level]) { layers[level] = makeLayer(level); }
    layers[level].setStyle(style);
    layers[level].addTo(map);
    if (level === "desa" && D.lapisan.kecamatan) {
      outline = L.geoJSON(D.lapisan.kecamatan, { interactive: false,
        style: { color: "#333333", weight: 1.2, fill: false, opacity: 0.7 } }).addTo(map);
    }
    retitle(level);
    clearInfo();
    document.querySelectorAll("#pilih-wilayah optgroup").forEach(function (g) {
      g.hidden = g.getAttribute("data-tingkat") !== level;
      g.disabled = g.hidden;
    });
    document.getElementById("pilih-wilayah").value = "";
  }

  function fit() {
    var target = base || layers[state.tingkat];
    map.fitBounds(target.getBounds(), { padding: [10, 10] });
  }

  document.getElementById("pilih-indikator").addEventListener("change", function (e) {
    state.indikator = e.target.value;
    Object.keys(layers).forEach(function (k) { layers[k].setStyle(style); });
    retitle(state.tingkat);
    if (state.pinned) { highlight(state.pinned); showInfo(state.pinned.feature.properties, state.tingkat); }
    legend();
  });
  document.querySelectorAll("input[name=tingkat]").forEach(function (r) {
    r.addEventListener("change", function () { if (r.checked) { showLevel(r.value); } });
  });
  document.getElementById("pilih-wilayah").addEventListener("change", function (e) {
    var v = e.target.value;
    if (!v) {
      if (state.pinned) { layers[state.tingkat].resetStyle(state.pinned); }
      state.pinned = null; clearInfo(); fit(); return;
    }
    var parts = v.split(":");
    if (parts[0] !== state.tingkat) { return; }
    layers[state.tingkat].eachLayer(function (l) {
      if (l.feature.properties.kode === parts[1]) {
        pin(l, state.tingkat);
        map.fitBounds(l.getBounds(), { maxZoom: 13, padding: [30, 30] });
      }
    });
  });

  showLevel(state.tingkat);
  legend();
  fit();
  document.getElementById("peta").setAttribute("data-siap", "1");
}());
