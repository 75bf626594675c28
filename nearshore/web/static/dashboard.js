// nearshore dashboard: draws each chart from its Vega-Lite specification with vega-embed (served by this
// server, /static/vega.js) and redraws it when a selector changes, without reloading the page. Without
// JavaScript the forms still work: they submit and the server draws the page again.
"use strict";

function draw(view) {
  const spec = JSON.parse(document.getElementById(view.dataset.spec).textContent);
  return vegaEmbed(view, spec, { actions: false, renderer: "svg" }).then(function (result) {
    view.dataset.drawn = String(Number(view.dataset.drawn || "0") + 1);
    return result;
  });
}

function redraw(form) {
  const name = form.dataset.chart;
  const query = new URLSearchParams(new FormData(form)).toString();
  return fetch("/charts/" + name + ".json?" + query, { headers: { Accept: "application/json" } })
    .then(function (response) { return response.json(); })
    .then(function (answer) {
      const figure = form.parentElement.querySelector("figure.chart");
      if (!figure || !answer.ok) { form.submit(); return; }
      const view = figure.querySelector(".chart-view");
      document.getElementById(view.dataset.spec).textContent = JSON.stringify(answer.spec);
      figure.querySelector(".alt").textContent = answer.alt;
      figure.querySelector("details").innerHTML = answer.table;  // rendered and escaped by the server
      history.replaceState(null, "", "?" + query);
      return draw(view);
    });
}

document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".chart-view[data-spec]").forEach(draw);
  document.querySelectorAll("form.selectors[data-chart]").forEach(function (form) {
    form.addEventListener("change", function () { redraw(form); });
    form.addEventListener("submit", function (event) { event.preventDefault(); redraw(form); });
  });
});
