// The page's glue: files in, analyse() out, results drawn with textContent only (log lines are hostile input).
import { getBackend } from '@nexus/ebm';
import { analyse, FORMATS, MODELS, sampleLog } from './analyse.js';

const $ = (id) => document.getElementById(id);
const state = {
  text: undefined,
  name: undefined,
  labels: undefined,
  year: undefined,
  pipelineJson: undefined,
  saved: undefined,
};

for (const f of FORMATS) $('format').append(new Option(f, f));
for (const m of MODELS) $('model').append(new Option(m, m));

function el(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className !== undefined) e.className = className;
  return e;
}

function ready() {
  $('run').disabled = state.text === undefined;
}

async function takeLog(file) {
  state.text = await file.text();
  state.name = file.name;
  state.labels = undefined;
  state.year = new Date(file.lastModified).getUTCFullYear();
  $('chosen').textContent = `${file.name}: ${file.size.toLocaleString('en')} bytes`;
  ready();
}

$('file').addEventListener('change', (ev) => {
  const f = ev.target.files[0];
  if (f !== undefined) void takeLog(f);
});
const drop = $('drop');
drop.addEventListener('dragover', (ev) => {
  ev.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (ev) => {
  ev.preventDefault();
  drop.classList.remove('over');
  const f = ev.dataTransfer.files[0];
  if (f !== undefined) void takeLog(f);
});
$('sample').addEventListener('click', () => {
  const s = sampleLog();
  state.text = s.text;
  state.name = 'simulated auth.log';
  state.labels = s.labels;
  state.year = s.year;
  $('fraction').value = String(Math.round(s.trainFraction * 100));
  $('chosen').textContent =
    `simulated sshd auth.log (the project's simulator; labelled, so the ROC-AUC is shown): ${s.labels.length.toLocaleString('en')} lines`;
  ready();
});
$('pipeline').addEventListener('change', async (ev) => {
  const f = ev.target.files[0];
  state.pipelineJson = f === undefined ? undefined : await f.text();
});

function card(label, value, warn) {
  const c = el('div', undefined, warn ? 'kpi warn' : 'kpi');
  c.append(el('b', value), el('span', label));
  return c;
}

function show(r) {
  const n = (x) => x.toLocaleString('en');
  const cards = [
    card('lines read', n(r.lines)),
    card(`events (${r.format}: ${r.why})`, n(r.events)),
    card('lines without an event', n(r.skipped)),
    card('malformed lines', n(r.malformed), r.malformed > 0),
    card(
      r.trained > 0 ? `trained on (${r.model})` : `pipeline (${r.model})`,
      r.trained > 0 ? n(r.trained) : 'loaded',
    ),
    card('scored', n(r.scored)),
    card(`flagged at false-alarm rate ${r.falseAlarmRate}`, n(r.flagged)),
  ];
  if (r.auc !== undefined) cards.push(card('ROC-AUC (simulated labels)', r.auc.toFixed(3)));
  cards.push(card(`seconds (${getBackend().name} kernels)`, (r.ms / 1000).toFixed(1)));
  $('summary').replaceChildren(...cards);
  const errs = r.errors.map((e) => el('div', `line ${e.line}: ${e.reason}`, 'error'));
  if (r.malformed > r.errors.length)
    errs.push(el('div', `… and ${n(r.malformed - r.errors.length)} more`, 'error'));
  $('errors').replaceChildren(...errs);
  const rows = r.top.map((t) => {
    const tr = el('tr', undefined, t.flag ? 'flag' : undefined);
    tr.append(
      el('td', String(t.line), 'num'),
      el('td', t.time.replace('T', ' ').replace('.000Z', '')),
      el('td', t.energy.toPrecision(4), 'num'),
      el('td', t.pValue.toPrecision(2), 'num'),
      el('td', t.flag ? 'yes' : ''),
      el('td', t.label == null ? t.reasons : `${t.reasons} [simulated: ${t.label}]`),
    );
    return tr;
  });
  $('top').tBodies[0].replaceChildren(...rows);
  state.saved = r.pipelineJson;
  $('result').hidden = false;
}

$('save').addEventListener('click', () => {
  if (state.saved === undefined) return;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([state.saved], { type: 'application/json' }));
  a.download = 'pipeline.json';
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
});

$('run').addEventListener('click', () => {
  if (state.text === undefined) return;
  $('run').disabled = true;
  $('status').textContent = 'training and scoring…';
  $('status').className = 'muted';
  // let the status paint before the (synchronous) work
  setTimeout(() => {
    try {
      show(
        analyse(state.text, {
          format: $('format').value,
          model: $('model').value,
          trainFraction: Number($('fraction').value) / 100,
          falseAlarmRate: Number($('far').value),
          pipelineJson: state.pipelineJson,
          labels: state.labels,
          year: state.year,
        }),
      );
      $('status').textContent = 'done';
      document.body.dataset.done = 'yes';
    } catch (e) {
      $('status').textContent = e instanceof Error ? e.message : String(e);
      $('status').className = 'error';
      document.body.dataset.done = 'error';
    }
    $('run').disabled = false;
  }, 20);
});
