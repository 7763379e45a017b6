/// The fixed parts of `inspect --html`'s page: its style and the script that draws it from the data.
enum InspectionPageTemplate {
    /// The whole document around `data` (JSON, already safe inside a script block).
    static func document(title: String, data: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; \
        script-src 'unsafe-inline'; img-src data:">
        <title>framecrypt inspect: \(title)</title>
        <style>\(style)</style>
        </head>
        <body data-rendered="no">
        <header><h1>framecrypt inspect</h1><p id="file"></p><p id="summary"></p></header>
        <pre id="errors" hidden></pre>
        <nav id="controls"></nav>
        <main id="streams"></main>
        <section id="detail-box"><h2>Selected frame</h2><div id="detail">Click a timeline or a finding's frame.</div>\
        </section>
        <section><h2>Findings</h2><ul id="findings"></ul></section>
        <section id="receivers-box" hidden><h2>SDK receivers</h2><table id="receivers"></table></section>
        <script type="application/json" id="data">\(data)</script>
        <script>\(script)</script>
        </body>
        </html>

        """
    }

    private static let style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:0 24px 48px;color:#222;max-width:1200px}
        h1{font-size:20px;margin:16px 0 4px}h2{font-size:16px;margin:20px 0 6px}
        #errors{background:#fee;border:1px solid #d33;padding:8px;white-space:pre-wrap}
        section.stream{border-top:1px solid #ccc;padding-top:4px}
        dl{display:grid;grid-template-columns:repeat(4,max-content 1fr);gap:2px 10px;margin:4px 0}
        dt{color:#666}dd{margin:0}
        canvas.timeline{width:100%;height:120px;border:1px solid #ddd;cursor:crosshair;display:block}
        .legend span{display:inline-block;margin-right:12px;font-size:12px}
        .legend i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
        ul#findings li{margin-bottom:6px}code{background:#f3f3f3;padding:0 3px}
        a.frame-link{margin-right:4px;font-size:12px}
        table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 6px;font-size:13px;text-align:left}
        tr.fails td.verdict{color:#b00}tr.delivers td.verdict{color:#070}
        #detail{font-family:ui-monospace,monospace;font-size:13px;white-space:pre-wrap}
        """

    // The script reads the data block, draws each stream's timeline on a canvas (lanes: frame state
    // and key index, size, IV send-count continuity and key frames, and the chosen SDK receiver's
    // outcome), lists the findings with links to their frames, and shows a clicked frame's record.
    // It writes text only through textContent, never markup.
    private static let script = """
        'use strict';
        window.addEventListener('error', (event) => fail(event.message));
        function fail(message) {
          const box = document.getElementById('errors');
          box.hidden = false;
          box.textContent += message + '\\n';
          document.body.dataset.rendered = 'error';
        }
        function el(tag, attributes, ...children) {
          const node = document.createElement(tag);
          for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
          for (const child of children) node.append(child instanceof Node ? child : String(child));
          return node;
        }
        const data = JSON.parse(document.getElementById('data').textContent);
        const report = data.page.report;
        const receivers = data.page.receivers;
        const framesByStream = new Map();
        for (const frame of data.frames) {
          if (!framesByStream.has(frame.stream)) framesByStream.set(frame.stream, []);
          framesByStream.get(frame.stream).push(frame);
        }
        const keyColors = ['#2e8b57', '#8a2be2', '#d2691e', '#1e90ff', '#c71585', '#556b2f', '#b8860b', '#008b8b'];
        const stateColors = {clear: '#bbbbbb', 'server-injected': '#3a7bd5', empty: '#eeeeee',
          truncated: '#dd3333', malformed: '#dd3333', unrecognized: '#990000'};
        const outcomeColors = {o: '#2e8b57', r: '#ff8c00', s: '#3a7bd5', e: '#dddddd', f: '#dd3333',
          m: '#b22222', d: '#660000', i: '#000000'};
        const outcomeNames = {o: 'ok', r: 'keyRatcheted', s: 'server frame forwarded', e: 'empty',
          f: 'decryptionFailed', m: 'missingKey', d: 'dropped unread', i: 'internalError'};
        function sendCount(iv) {
          if (!iv) return null;
          const t = parseInt(iv.slice(8, 16), 16), third = parseInt(iv.slice(16, 24), 16);
          return ((t - third) >>> 0) % 0xffff;
        }
        function frameColor(frame) {
          if (frame.state === 'encrypted') {
            const key = frame.keyIndex !== null ? frame.keyIndex : (frame.kid !== null ? frame.kid : 0);
            return keyColors[key % keyColors.length];
          }
          return stateColors[frame.state] || '#999999';
        }
        let chosenReceiver = receivers && receivers.length && receivers[0].receivers.length
          ? receivers[0].receivers[0].receiver : null;
        let selected = null;
        const canvases = new Map();
        function verdictFor(streamIndex, receiver) {
          const entry = (receivers || []).find((stream) => stream.index === streamIndex);
          return entry ? entry.receivers.find((verdict) => verdict.receiver === receiver) : null;
        }
        function draw(streamIndex) {
          const canvas = canvases.get(streamIndex);
          const frames = framesByStream.get(streamIndex) || [];
          const context = canvas.getContext('2d');
          const width = canvas.width, count = Math.max(frames.length, 1);
          context.clearRect(0, 0, width, canvas.height);
          const maxSize = Math.max(1, ...frames.map((frame) => frame.size));
          const verdict = chosenReceiver ? verdictFor(streamIndex, chosenReceiver) : null;
          let previous = null;
          frames.forEach((frame, position) => {
            const x = Math.floor(position * width / count);
            const w = Math.max(1, Math.floor((position + 1) * width / count) - x);
            context.fillStyle = frameColor(frame);
            context.fillRect(x, 0, w, 28);
            const h = Math.max(1, Math.round(30 * Math.log1p(frame.size) / Math.log1p(maxSize)));
            context.fillStyle = '#888888';
            context.fillRect(x, 62 - h, w, h);
            if (frame.keyFrame) { context.fillStyle = '#000000'; context.fillRect(x, 64, w, 6); }
            const counted = sendCount(frame.iv);
            if (counted !== null && previous !== null && counted !== (previous + 1) % 0xffff) {
              context.fillStyle = '#dd3333';
              context.fillRect(x, 70, Math.max(w, 2), 10);
            }
            if (counted !== null) previous = counted;
            if (verdict && verdict.frameStates) {
              const letter = verdict.frameStates[position];
              context.fillStyle = outcomeColors[letter] || '#ffffff';
              context.fillRect(x, 84, w, 28);
            }
          });
          if (selected && selected.stream === streamIndex) {
            const x = Math.floor(selected.position * width / count);
            context.fillStyle = '#000000';
            context.fillRect(Math.max(0, x - 1), 0, 3, canvas.height);
          }
          canvas.dataset.drawn = String(frames.length);
        }
        function select(streamIndex, frameNumber) {
          const frames = framesByStream.get(streamIndex) || [];
          const position = frames.findIndex((frame) => frame.frame === frameNumber);
          if (position < 0) return;
          const previous = selected;
          selected = {stream: streamIndex, position};
          if (previous && previous.stream !== streamIndex) draw(previous.stream);
          draw(streamIndex);
          const frame = frames[position];
          const lines = Object.entries(frame).map(([name, value]) => name + ': ' + value);
          const counted = sendCount(frame.iv);
          if (counted !== null) lines.push('send count (mod 0xFFFF): ' + counted);
          for (const stream of receivers || []) {
            if (stream.index !== streamIndex) continue;
            for (const verdict of stream.receivers) {
              const letter = verdict.frameStates ? verdict.frameStates[position] : '';
              lines.push(verdict.receiver + ': ' + (outcomeNames[letter] || 'not played'));
            }
          }
          const detail = document.getElementById('detail');
          detail.textContent = lines.join('\\n');
          detail.dataset.stream = String(streamIndex);
          detail.dataset.frame = String(frameNumber);
          document.getElementById('stream-' + streamIndex).scrollIntoView({block: 'nearest'});
        }
        function frameLink(streamIndex, frameNumber) {
          const link = el('a', {href: '#stream-' + streamIndex, class: 'frame-link',
            'data-stream': streamIndex, 'data-frame': frameNumber}, String(frameNumber));
          link.addEventListener('click', (event) => { event.preventDefault(); select(streamIndex, frameNumber); });
          return link;
        }
        function legend() {
          const box = el('div', {class: 'legend'});
          const items = [['clear', stateColors.clear], ['server-injected', stateColors['server-injected']],
            ['truncated / malformed', stateColors.truncated], ['key frame (lane 3)', '#000000'],
            ['send-count gap (lane 3)', '#dd3333']];
          keyColors.slice(0, 4).forEach((color, index) => items.push(['key index ' + index, color]));
          if (receivers) for (const letter of ['o', 'r', 'f', 'm', 'd', 's']) {
            items.push([outcomeNames[letter] + ' (lane 4)', outcomeColors[letter]]);
          }
          for (const [name, color] of items) box.append(el('span', {}, el('i', {style: 'background:' + color}), name));
          return box;
        }
        document.getElementById('file').textContent = report.file + ' (' + report.container + ')';
        document.getElementById('summary').textContent = report.streams.length + ' streams, ' +
          data.frames.length + ' frames, ' + report.findings.length + ' findings. ' + data.page.generator;
        const main = document.getElementById('streams');
        for (const stream of report.streams) {
          const section = el('section', {class: 'stream', id: 'stream-' + stream.index, 'data-index': stream.index,
            'data-frames': stream.frames, 'data-encrypted': stream.encryptedFrames, 'data-clear': stream.clearFrames,
            'data-sif': stream.sifFrames, 'data-scheme': stream.scheme});
          const who = stream.participant ? ' \\u00b7 participant ' + stream.participant : '';
          section.append(el('h2', {}, 'Stream ' + stream.index + ' \\u00b7 ' + stream.kind + ' ' + stream.codec + who));
          const facts = [['scheme', stream.scheme], ['frames', stream.frames], ['encrypted', stream.encryptedFrames],
            ['clear', stream.clearFrames], ['server-injected', stream.sifFrames], ['truncated', stream.truncatedFrames],
            ['malformed', stream.malformedFrames], ['unrecognized', stream.unrecognizedFrames],
            ['key indices', Object.entries(stream.keyIndices).map(([key, n]) => key + ': ' + n).join(', ') || '\\u2013'],
            ['key ring', stream.keyRingSize], ['packet trailers', stream.packetTrailerFrames],
            ['overhead bytes', stream.overheadBytes]];
          if (stream.iv) {
            facts.push(['SSRC', stream.iv.ssrcs.join(' ')], ['send count start', stream.iv.sendCountStart],
              ['send-count gaps', stream.iv.sendCountGaps], ['RTP clock mismatches', stream.iv.rtpClockMismatches]);
          }
          const list = el('dl');
          for (const [name, value] of facts) list.append(el('dt', {}, name), el('dd', {}, String(value)));
          section.append(list);
          const canvas = el('canvas', {class: 'timeline', width: 1100, height: 114, 'data-stream': stream.index});
          canvas.addEventListener('click', (event) => {
            const frames = framesByStream.get(stream.index) || [];
            const box = canvas.getBoundingClientRect();
            const position = Math.min(frames.length - 1, Math.floor((event.clientX - box.left) / box.width * frames.length));
            if (position >= 0) select(stream.index, frames[position].frame);
          });
          canvases.set(stream.index, canvas);
          section.append(canvas, legend());
          main.append(section);
          draw(stream.index);
        }
        const findings = document.getElementById('findings');
        if (report.findings.length === 0) findings.append(el('li', {}, 'none'));
        for (const finding of report.findings) {
          const item = el('li', {class: 'finding', 'data-code': finding.code, 'data-stream': finding.stream},
            el('code', {}, finding.code), ' stream ' + finding.stream + ': ' + finding.message + ' ');
          for (const frameNumber of finding.frames) item.append(frameLink(finding.stream, frameNumber));
          if (finding.frameCount > finding.frames.length) {
            item.append('(' + finding.frameCount + ' frames in all)');
          }
          findings.append(item);
        }
        if (receivers) {
          document.getElementById('receivers-box').hidden = false;
          const controls = document.getElementById('controls');
          const choice = el('select', {id: 'receiver-choice'});
          for (const verdict of receivers.length ? receivers[0].receivers : []) {
            choice.append(el('option', {value: verdict.receiver}, verdict.receiver));
          }
          choice.addEventListener('change', () => {
            chosenReceiver = choice.value;
            for (const index of canvases.keys()) draw(index);
          });
          controls.append(el('label', {}, 'Lane 4 shows the SDK receiver: ', choice));
          const table = document.getElementById('receivers');
          table.append(el('tr', {}, el('th', {}, 'stream'), el('th', {}, 'SDK'), el('th', {}, 'verdict'),
            el('th', {}, 'states'), el('th', {}, 'first failure')));
          for (const stream of receivers) {
            for (const verdict of stream.receivers) {
              const failure = verdict.firstFailure;
              const row = el('tr', {class: 'receiver ' + (failure ? 'fails' : 'delivers'), 'data-stream': stream.index,
                'data-receiver': verdict.receiver, 'data-decrypts': failure ? 'no' : 'yes'},
                el('td', {}, String(stream.index)), el('td', {}, verdict.receiver),
                el('td', {class: 'verdict'}, failure ? 'fails' : 'delivers every frame'),
                el('td', {}, Object.entries(verdict.states).map(([name, n]) => name + ' ' + n).join(', ')),
                el('td', {}));
              if (failure) {
                row.lastChild.append('frame ', frameLink(stream.index, failure.frame), failure.reason);
              }
              table.append(row);
            }
          }
        }
        // A link to the page may name a frame: page.html#frame-STREAM-FRAME selects it.
        const named = /^#frame-(\\d+)-(\\d+)$/.exec(window.location.hash);
        if (named) select(Number(named[1]), Number(named[2]));
        document.body.dataset.streams = String(report.streams.length);
        document.body.dataset.findings = String(report.findings.length);
        document.body.dataset.frames = String(data.frames.length);
        if (document.body.dataset.rendered !== 'error') document.body.dataset.rendered = 'ok';
        """
}
