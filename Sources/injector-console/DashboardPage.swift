/// The dashboard: one page, no external resource (the bench has no internet), drawn
/// from the JSON the server pushes over /ws every 100 ms (`DashboardJSON`). Buttons
/// send `{"request": id, "value": …}`; a question is answered with
/// `{"confirm": true}` or `{"cancel": true}`.
enum DashboardPage {
    static let html = """
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8"><title>injector-console</title>
    <style>
    body { font-family: system-ui, sans-serif; margin: 0; background: #f4f4f4; color: #111; }
    header { background: #223; color: #fff; padding: 8px 16px; display: flex; gap: 24px; align-items: baseline; }
    header h1 { font-size: 18px; margin: 0; }
    #banner { display: none; background: #c00; color: #fff; font-size: 28px; font-weight: bold; padding: 16px;
              text-align: center; animation: blink 1s step-start infinite; }
    #banner.on { display: block; }
    @keyframes blink { 50% { background: #800; } }
    main { display: grid; grid-template-columns: 340px 1fr; gap: 12px; padding: 12px; }
    section { background: #fff; border: 1px solid #ccc; border-radius: 4px; padding: 8px 12px; }
    h2 { font-size: 14px; margin: 4px 0 8px; text-transform: uppercase; color: #555; }
    table { border-collapse: collapse; width: 100%; } td { padding: 2px 4px; } td.v { text-align: right; font-variant-numeric: tabular-nums; }
    #state { font-size: 26px; font-weight: bold; }
    .stale { opacity: 0.45; }
    .chip { display: inline-block; padding: 2px 6px; margin: 2px; border-radius: 3px; background: #ddd; font-size: 12px; }
    .chip.on { background: #2a6; color: #fff; } .chip.estop.on { background: #c00; }
    .hazard { background: #fc6; }
    #buttons button { margin: 3px; padding: 6px 10px; font-size: 14px; }
    #buttons button.safe { background: #fe8; } #buttons input { width: 70px; }
    #events { max-height: 260px; overflow-y: auto; font-family: monospace; font-size: 12px; margin: 0; padding-left: 0; list-style: none; }
    #events li.alarm { background: #c00; color: #fff; } #events li.warning { background: #fe8; }
    #question { display: none; position: fixed; inset: 0; background: rgba(0,0,0,0.5); }
    #question.on { display: flex; align-items: center; justify-content: center; }
    #question div { background: #fff; padding: 20px; max-width: 560px; font-size: 18px; border: 4px solid #c60; }
    #question button { font-size: 18px; margin: 12px 8px 0 0; padding: 8px 16px; }
    canvas { width: 100%; height: 420px; background: #fff; }
    </style></head>
    <body>
    <header><h1>injector-console</h1><span>link: <b id="link-status">connecting…</b></span>
      <span id="link-text"></span><span>expects configuration <code id="hash"></code></span></header>
    <div id="banner" role="alert"></div>
    <main>
    <div>
      <section id="values"><h2>State</h2><div id="state">–</div><div id="reason"></div>
        <table>
        <tr><td>pressure</td><td class="v" id="pressure">–</td><td>kPa</td></tr>
        <tr><td>delivered</td><td class="v" id="delivered">–</td><td>µL</td></tr>
        <tr><td>cap</td><td class="v" id="cap">–</td><td>µL</td></tr>
        <tr><td>committed</td><td class="v" id="committed">–</td><td>µL</td></tr>
        <tr><td>flow</td><td class="v" id="flow">–</td><td>µL/s</td></tr>
        <tr><td>relief</td><td class="v" id="relief">–</td><td></td></tr>
        <tr><td>alarm</td><td class="v" id="alarm">–</td><td></td></tr>
        <tr><td>driver</td><td class="v" id="driver">–</td><td></td></tr>
        <tr><td>releases</td><td class="v" id="releases">–</td><td></td></tr>
        <tr><td>working phase left</td><td class="v" id="working">–</td><td></td></tr>
        </table><div id="cement"></div></section>
      <section><h2>Switches</h2><div id="switches"></div><h2>Hazards</h2><div id="hazards">none</div></section>
    </div>
    <div>
      <section><h2>Pressure, delivered volume and cap, flow — last minute</h2><canvas id="plot" width="1000" height="420"></canvas></section>
      <section><h2>Commands</h2><div id="buttons"></div><div id="feedback"></div></section>
      <section><h2>Events</h2><ul id="events"></ul></section>
    </div>
    </main>
    <div id="question"><div><div id="prompt"></div>
      <button id="confirm-yes">Yes, send it</button><button id="confirm-no">Cancel</button></div></div>
    <script>
    \(script)
    </script></body></html>
    """

    static let script = """
    const $ = id => document.getElementById(id);
    let ws = null, samples = [], entries = [], lastMessage = 0, socketOpen = false, actions = [];
    function send(obj) { if (ws && ws.readyState === 1) ws.send(JSON.stringify(obj)); }
    function connect() {
      ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
      ws.onopen = () => { socketOpen = true; samples = []; entries = []; $('events').innerHTML = ''; };
      ws.onclose = () => { socketOpen = false; setTimeout(connect, 1000); };
      ws.onmessage = m => { lastMessage = Date.now(); render(JSON.parse(m.data)); };
    }
    function fmt(x, d) { return x === null || x === undefined ? '–' : x.toFixed(d); }
    function mmss(s) { if (s === null) return 'not mixed'; const a = Math.abs(s), m = Math.floor(a / 60), r = Math.floor(a % 60);
      return (s < 0 ? 'over ' : '') + m + ':' + (r < 10 ? '0' : '') + r; }
    function render(d) {
      $('link-status').textContent = d.link.status.toUpperCase(); $('link-text').textContent = d.link.text;
      $('hash').textContent = d.link.expected_hash;
      setBanner(d.link.banner);
      const t = d.telemetry;
      $('values').classList.toggle('stale', !t || !t.current);
      if (t) {
        $('state').textContent = t.state.toUpperCase(); $('reason').textContent = 'reason: ' + t.reason;
        $('pressure').textContent = fmt(t.pressure_kPa, 1); $('delivered').textContent = fmt(t.delivered_uL, 1);
        $('cap').textContent = fmt(t.cap_uL, 1); $('committed').textContent = fmt(t.committed_uL, 1);
        $('flow').textContent = fmt(t.flow_uL_per_s, 1); $('relief').textContent = t.relief; $('alarm').textContent = t.alarm;
        $('driver').textContent = t.driver_enabled ? 'on' : 'off'; $('releases').textContent = t.release_cycles;
        $('working').textContent = mmss(t.working_phase_left_s); $('cement').textContent = t.cement;
        $('switches').innerHTML = t.switches.map(s => '<span class="chip' + (s.name === 'eStop' ? ' estop' : '') +
          (s.active ? ' on' : '') + '" id="switch-' + s.name + '">' + s.name + (s.active ? ' ON' : '') + '</span>').join('');
        $('hazards').innerHTML = t.hazards.length ? t.hazards.map(h => '<span class="chip hazard">' + h + '</span>').join('') : 'none';
      }
      renderButtons(d.actions);
      $('feedback').textContent = d.feedback;
      if (d.pending) { $('prompt').textContent = d.pending.prompt; $('question').classList.add('on'); }
      else $('question').classList.remove('on');
      for (const s of d.samples) samples.push(s);
      if (samples.length > 1200) samples = samples.slice(samples.length - 1200);
      for (const e of d.entries) {
        const li = document.createElement('li'); li.className = e.severity;
        li.textContent = e.time_s.toFixed(1) + ' s  ' + e.text; $('events').prepend(li);
      }
      while ($('events').children.length > 200) $('events').lastChild.remove();
      plot(d.limits.pressure_limit_kPa);
    }
    function setBanner(text) { $('banner').textContent = text || ''; $('banner').classList.toggle('on', !!text); }
    function renderButtons(list) {
      if (actions.length !== list.length) {
        $('buttons').innerHTML = list.map(a => '<span><button id="action-' + a.id + '" class="' + (a.confirm ? '' : 'safe') + '">' +
          a.label + '</button>' + (a.value ? '<input id="value-' + a.id + '" placeholder="' + a.value.unit + '">' : '') + '</span>').join('');
        for (const a of list) $('action-' + a.id).onclick = () => {
          const v = a.value ? $('value-' + a.id).value : undefined; send({request: a.id, value: v}); };
      }
      actions = list;
      for (const a of list) { const b = $('action-' + a.id); b.disabled = a.disabled !== null; b.title = a.disabled || ''; }
    }
    function niceStep(span, n) { const raw = span / n, p = Math.pow(10, Math.floor(Math.log10(raw))), f = raw / p;
      return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p; }
    function panel(ctx, x0, y0, w, h, t0, t1, series, label, extraMax) {
      let max = extraMax || 0, min = 0;
      for (const s of series) for (const p of samples) { max = Math.max(max, p[s.i]); min = Math.min(min, p[s.i]); }
      if (max - min < 1e-9) max = min + 1;
      const step = niceStep(max - min, 4); max = Math.ceil(max / step) * step; min = Math.floor(min / step) * step;
      const X = t => x0 + (t - t0) / (t1 - t0) * w, Y = v => y0 + h - (v - min) / (max - min) * h;
      ctx.strokeStyle = '#ccc'; ctx.fillStyle = '#444'; ctx.font = '11px sans-serif'; ctx.lineWidth = 1;
      for (let v = min; v <= max + step / 2; v += step) { ctx.beginPath(); ctx.moveTo(x0, Y(v)); ctx.lineTo(x0 + w, Y(v)); ctx.stroke();
        ctx.fillText(+v.toPrecision(6) + '', 4, Y(v) + 4); }
      ctx.fillText(label, x0 + 4, y0 + 12);
      for (const s of series) { ctx.strokeStyle = s.color; ctx.lineWidth = 1.5; ctx.setLineDash(s.dash || []); ctx.beginPath();
        samples.forEach((p, k) => { const x = X(p[1]), y = Y(p[s.i]); k ? ctx.lineTo(x, y) : ctx.moveTo(x, y); }); ctx.stroke(); }
      ctx.setLineDash([]);
      return Y;
    }
    function plot(limit) {
      const c = $('plot'), ctx = c.getContext('2d'); ctx.clearRect(0, 0, c.width, c.height);
      if (samples.length < 2) { ctx.fillText('waiting for telemetry…', 80, 40); return; }
      const t1 = samples[samples.length - 1][1], t0 = Math.min(samples[0][1], t1 - 1), x0 = 60, w = c.width - 80, h = 110;
      const Y = panel(ctx, x0, 10, w, h, t0, t1, [{i: 2, color: '#c22'}], 'pressure, kPa (dashed: limit ' + limit + ')', 0);
      ctx.strokeStyle = '#c22'; ctx.setLineDash([6, 4]); ctx.beginPath(); ctx.moveTo(x0, Y(limit)); ctx.lineTo(x0 + w, Y(limit));
      if (Y(limit) >= 10) ctx.stroke(); ctx.setLineDash([]);
      panel(ctx, x0, 140, w, h, t0, t1, [{i: 3, color: '#226'}, {i: 4, color: '#26a', dash: [6, 4]}], 'delivered and cap (dashed), µL', 0);
      panel(ctx, x0, 270, w, h, t0, t1, [{i: 5, color: '#282'}], 'commanded flow, µL/s', 0);
      ctx.fillStyle = '#444'; const step = niceStep(t1 - t0, 8);
      for (let s = Math.ceil((t0 - t1) / step) * step; s <= 0; s += step) {
        ctx.fillText((step < 1 ? s.toFixed(1) : Math.round(s)) + ' s', x0 + (t1 + s - t0) / (t1 - t0) * w - 10, 412); }
    }
    $('confirm-yes').onclick = () => send({confirm: true});
    $('confirm-no').onclick = () => send({cancel: true});
    setInterval(() => {
      if (!socketOpen) setBanner('CONSOLE DISCONNECTED — this page is not connected to injector-console; nothing shown is current');
      else if (Date.now() - lastMessage > 1500) setBanner('NO UPDATES for ' + ((Date.now() - lastMessage) / 1000).toFixed(0) + ' s — nothing shown is current');
    }, 500);
    connect();
    """
}
