import http from 'node:http';
import fs from 'node:fs';
import {execFileSync} from 'node:child_process';
import puppeteer from 'puppeteer-core';
const which = process.argv[2];
const page = fs.readFileSync('/tmp/sdpcap/live.html');
const server = http.createServer((q, r) => { r.writeHead(200, {'content-type': 'text/html'}); r.end(page); });
await new Promise(r => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;
const tmp = fs.mkdtempSync('/tmp/sdpcap/profile-');
const opts = which === 'firefox' ? {browser: 'firefox', executablePath: '/usr/bin/firefox-esr', headless: true, userDataDir: tmp,
  extraPrefsFirefox: {'media.navigator.streams.fake': true, 'media.navigator.permission.disabled': true}} : {
  executablePath: '/usr/bin/chromium', headless: true, userDataDir: tmp,
  args: ['--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1']};
const java = (mode, input) => execFileSync('java', ['-cp', '/work/wt/sfu-sdp/jca-relay/target/classes:/tmp/sfu-sdp-bench', 'Live', mode], {input}).toString();
const browser = await puppeteer.launch(opts);
try {
  const p = await browser.newPage();
  await p.goto(url);
  for (const kind of ['simulcast', 'av+dc']) {
    const offer = await p.evaluate(k => window.live.offer(k), kind);
    const answer = java('answer', offer);
    console.log(kind, 'answer applied:', await p.evaluate(s => window.live.applyAnswer(s), answer));
  }
  console.log('subscriber offer:', await p.evaluate(s => window.live.takeOffer(s), java('suboffer', '')));
} catch (e) { console.log('FAILED', e.message); } finally { await browser.close(); server.close(); }
