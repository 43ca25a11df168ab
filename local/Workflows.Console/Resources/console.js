// The local console's script: the start form (preset files, submit through the console API) and the execution
// page's live view (polls /console/api/executions/<arn> until the execution is terminal). No framework, no build
// step; HTML fragments come from the server already encoded.
'use strict';

(function () {
  const ACTION_HEADER = 'X-Workflows-Console';

  function post(url, body) {
    return fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [ACTION_HEADER]: '1' },
      body: JSON.stringify(body || {}),
      credentials: 'same-origin',
    }).then(async (response) => {
      let json = {};
      try { json = await response.json(); } catch (e) { json = { message: 'The console answered ' + response.status }; }
      return { ok: response.ok, status: response.status, json };
    });
  }

  function showError(element, message) {
    element.textContent = message;
    element.hidden = false;
  }

  // ---- start form ----------------------------------------------------------------------------------------------
  function startForm(form) {
    const preset = form.querySelector('#input-preset');
    const input = form.querySelector('#execution-input');
    const name = form.querySelector('#execution-name');
    const error = form.querySelector('#input-error');
    const button = form.querySelector('#start-execution');
    preset.addEventListener('change', () => {
      const option = preset.options[preset.selectedIndex];
      if (option) { input.value = option.getAttribute('data-input') || '{}'; }
      error.hidden = true;
      input.removeAttribute('aria-invalid');
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      error.hidden = true;
      error.textContent = '';
      input.removeAttribute('aria-invalid');
      name.removeAttribute('aria-invalid');
      button.disabled = true;
      post(form.getAttribute('data-api'), { name: name.value, input: input.value }).then((r) => {
        if (r.ok && r.json.url) {
          window.location.assign(r.json.url);
          return;
        }
        button.disabled = false;
        const field = r.json.field === 'name' ? name : input;
        field.setAttribute('aria-invalid', 'true');
        field.setAttribute('aria-errormessage', 'input-error');
        showError(error, 'Not started. ' + (r.json.message || ('The console answered ' + r.status)));
      }).catch((e) => {
        button.disabled = false;
        showError(error, 'Not started: the console could not be reached (' + e + ').');
      });
    });
  }

  // ---- execution page ------------------------------------------------------------------------------------------
  function executionPage(body) {
    const api = body.getAttribute('data-api');
    let last = Number(body.getAttribute('data-last-event-id') || '0');
    const status = document.getElementById('execution-status');
    const history = document.querySelector('#history tbody');
    const clusters = document.querySelector('#clusters tbody');
    const stop = document.getElementById('stop-execution');
    const redrive = document.getElementById('redrive-execution');
    const redriveHelp = document.getElementById('redrive-help');
    const actionError = document.getElementById('action-error');
    const duration = document.getElementById('execution-duration');
    const redrives = document.getElementById('execution-redrives');
    const result = document.getElementById('execution-result');
    let timer = null;
    let delay = 500;

    function cssEscape(text) { return window.CSS && CSS.escape ? CSS.escape(text) : text.replace(/["\\]/g, '\\$&'); }

    function apply(data) {
      if (status.getAttribute('data-status') !== data.status) {
        status.setAttribute('data-status', data.status);
        status.textContent = data.status;
      }
      duration.textContent = data.duration;
      redrives.textContent = String(data.redriveCount);
      stop.disabled = !data.stoppable;
      redrive.disabled = !data.redrivable;
      redriveHelp.textContent = data.redrivable ? 'Runs the execution again from the state that failed.' : (data.redriveStatusReason || '');
      for (const [name, s] of Object.entries(data.states || {})) {
        const sel = '[data-state="' + cssEscape(name) + '"]';
        const g = document.querySelector('svg#graph g.state' + sel);
        if (g && g.getAttribute('data-outcome') !== s.outcome) {
          g.setAttribute('data-outcome', s.outcome);
          const title = g.querySelector('title');
          if (title) { title.textContent = s.title; }
          const label = g.querySelector('.outcome-label');
          if (label) { label.textContent = s.mark + ' ' + s.text; }
        }
        const item = document.querySelector('#graph-text li' + sel + ' .outcome-text');
        if (item && item.getAttribute('data-outcome') !== s.outcome) {
          item.setAttribute('data-outcome', s.outcome);
          item.textContent = s.text;
        }
      }
      for (const e of data.events || []) {
        if (e.id > last && !history.querySelector('tr[data-event-id="' + e.id + '"]')) {
          history.insertAdjacentHTML('beforeend', e.html);
          last = e.id;
        }
      }
      if (clusters.innerHTML !== data.clustersHtml) { clusters.innerHTML = data.clustersHtml; }
      if (data.terminal && result.getAttribute('data-final') !== data.status) {
        result.innerHTML = data.resultHtml;
        result.setAttribute('data-final', data.status);
      }
      delay = data.pollMilliseconds || 500;
      return data.terminal;
    }

    function poll() {
      timer = null;
      fetch(api + '?after=' + last, { headers: { Accept: 'application/json' }, cache: 'no-store' })
        .then((r) => r.json())
        .then((data) => { if (!apply(data)) { schedule(); } })
        .catch(() => { delay = Math.min(delay * 2, 5000); schedule(); });
    }

    function schedule() { if (timer === null) { timer = window.setTimeout(poll, delay); } }

    function act(button, path) {
      actionError.hidden = true;
      button.disabled = true;
      post(api + '/' + path, {}).then((r) => {
        if (!r.ok) { showError(actionError, r.json.message || ('The console answered ' + r.status)); }
        if (timer !== null) { window.clearTimeout(timer); timer = null; }
        poll();
      }).catch((e) => showError(actionError, 'The console could not be reached (' + e + ').'));
    }

    stop.addEventListener('click', () => act(stop, 'stop'));
    redrive.addEventListener('click', () => act(redrive, 'redrive'));
    if (status.getAttribute('data-status') === 'RUNNING') { schedule(); }
  }

  // ---- start page ----------------------------------------------------------------------------------------------
  // Polls while the page is visible (a hidden tab costs nothing) and replaces a table's rows only when they changed.
  function startPage(body) {
    const api = body.getAttribute('data-start-api');
    const machines = document.querySelector('#state-machines tbody');
    const executions = document.querySelector('#executions tbody');
    let timer = null;
    let delay = 1000;

    function poll() {
      timer = null;
      if (document.visibilityState !== 'visible') { return; }
      fetch(api, { headers: { Accept: 'application/json' }, cache: 'no-store' })
        .then((r) => r.json())
        .then((data) => {
          if (machines.innerHTML !== data.machinesHtml) { machines.innerHTML = data.machinesHtml; }
          if (executions.innerHTML !== data.executionsHtml) { executions.innerHTML = data.executionsHtml; }
          delay = data.pollMilliseconds || 1000;
          schedule();
        })
        .catch(() => { delay = Math.min(delay * 2, 5000); schedule(); });
    }

    function schedule() { if (timer === null && document.visibilityState === 'visible') { timer = window.setTimeout(poll, delay); } }

    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') { if (timer === null) { poll(); } } else if (timer !== null) { window.clearTimeout(timer); timer = null; }
    });
    schedule();
  }

  document.addEventListener('DOMContentLoaded', () => {
    if (document.body.hasAttribute('data-start-api')) { startPage(document.body); }
    const form = document.getElementById('start-form');
    if (form) { startForm(form); }
    if (document.body.hasAttribute('data-execution-arn')) { executionPage(document.body); }
  });
})();
