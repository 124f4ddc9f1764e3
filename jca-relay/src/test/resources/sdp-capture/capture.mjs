import http from 'node:http';
import fs from 'node:fs';
import puppeteer from 'puppeteer-core';
const which = process.argv[2]; // chromium | firefox
const names = process.argv.slice(3);
const page = fs.readFileSync('/tmp/sdpcap/page.html');
const server = http.createServer((q, r) => { r.writeHead(200, {'content-type': 'text/html'}); r.end(page); });
await new Promise(r => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;
const tmp = fs.mkdtempSync('/tmp/sdpcap/profile-');
const opts = which === 'firefox' ? {
  browser: 'firefox', executablePath: '/usr/bin/firefox-esr', headless: true, userDataDir: tmp,
  extraPrefsFirefox: {'media.navigator.streams.fake': true, 'media.navigator.permission.disabled': true,
    'media.peerconnection.ice.loopback': true}} : {
  executablePath: '/usr/bin/chromium', headless: true, userDataDir: tmp,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1']};
const browser = await puppeteer.launch(opts);
try {
  console.log('version', await browser.version());
  const p = await browser.newPage();
  await p.goto(url);
  for (const n of names) {
    const sdp = await p.evaluate(n => window.caps[n](), n);
    fs.writeFileSync(`/tmp/sdpcap/out/${which}-${n}.sdp`, sdp);
    console.log(n, sdp.length);
  }
} finally { await browser.close(); server.close(); }
