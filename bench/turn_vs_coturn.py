#!/usr/bin/env python3
"""Helpers for bench/turn-vs-coturn (standard library only).

  turn_vs_coturn.py uclient --out RESULTS.jsonl --log FILE --timeout S --server-pid P --peer-pid Q \
                            --set key=value ... -- turnutils_uclient ARGS...
      Runs one turnutils_uclient load, timestamps its per-second counters, samples the server's CPU
      (/proc/P/stat utime+stime) and the UDP receive-buffer drops of every socket owned by the server, the echo
      peer and the client (/proc/net/udp{,6} "drops", sockets mapped to processes through /proc/PID/fd), and
      appends one JSON record to RESULTS.jsonl.
  turn_vs_coturn.py report --results RESULTS.jsonl --benchmarks BENCHMARKS.md
      Renders the "TURN relay vs coturn" section and replaces it in BENCHMARKS.md (other sections are kept).
"""
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time

TCK = os.sysconf('SC_CLK_TCK')


# ------------------------------------------------------------------------------------------------ /proc readers

def cpu_seconds(pid):
    try:
        with open(f'/proc/{pid}/stat') as f:
            s = f.read()
    except OSError:
        return None
    fields = s[s.rindex(')') + 2:].split()
    return (int(fields[11]) + int(fields[12])) / TCK  # utime + stime


def socket_inodes(pid):
    out = set()
    try:
        for fd in os.listdir(f'/proc/{pid}/fd'):
            try:
                link = os.readlink(f'/proc/{pid}/fd/{fd}')
            except OSError:
                continue
            if link.startswith('socket:['):
                out.add(int(link[8:-1]))
    except OSError:
        pass
    return out


def udp_drops():
    """inode -> drops, for every UDP socket of the machine."""
    drops = {}
    for name in ('/proc/net/udp', '/proc/net/udp6'):
        try:
            with open(name) as f:
                next(f)
                for line in f:
                    p = line.split()
                    if len(p) >= 13:
                        drops[int(p[9])] = int(p[12])
        except OSError:
            pass
    return drops


def rcvbuf_errors():
    try:
        with open('/proc/net/snmp') as f:
            lines = [l.split() for l in f if l.startswith('Udp:')]
        head, vals = lines[0], lines[1]
        return int(vals[head.index('RcvbufErrors')])
    except (OSError, ValueError, IndexError):
        return None


class DropTracker:
    """Per owner: drops counted on that owner's sockets since the first look (new sockets start at 0)."""

    def __init__(self, owners):
        self.owners = owners            # name -> pid
        self.base = udp_drops()         # drops of sockets that existed before the run
        self.seen = {}                  # inode -> (owner, last drops)

    def sample(self, extra=None):
        owners = dict(self.owners)
        if extra:
            owners.update(extra)
        drops = udp_drops()
        for name, pid in owners.items():
            if not pid:
                continue
            for ino in socket_inodes(pid):
                if ino in drops:
                    self.seen[ino] = (name, drops[ino])

    def totals(self):
        t = {}
        for ino, (name, d) in self.seen.items():
            t[name] = t.get(name, 0) + max(0, d - self.base.get(ino, 0))
        return t


# ------------------------------------------------------------------------------------------------ uclient run

PROGRESS = re.compile(r'msz=\d+, tot_send_msgs=(\d+), tot_recv_msgs=(\d+)')
FINAL = re.compile(r'start_mclient: tot_send_msgs=(\d+), tot_recv_msgs=(\d+)')
LOST = re.compile(r'Total lost packets (\d+) \(([-\d.naif]+)%\), total send dropped (\d+)')
RTT = re.compile(r'Average round trip delay ([\d.]+) ms')
ERRLINE = re.compile(r'error|ERROR|Cannot|cannot|fail|refused|timeout', re.I)


def run_uclient(a):
    rec = dict(kv.split('=', 1) for kv in a.set)
    for k in ('clients', 'n', 'z', 'round', 'step', 'offered_pps'):
        if k in rec:
            rec[k] = int(rec[k])
    rec['kind'] = rec.get('kind', 'relay')
    rec['cmd'] = ' '.join(a.cmd)
    spid, ppid = a.server_pid, a.peer_pid
    tracker = DropTracker({'server': spid, 'peer': ppid})
    snmp0 = rcvbuf_errors()
    try:
        rec['loadavg'] = float(open('/proc/loadavg').read().split()[0])
    except (OSError, ValueError):
        rec['loadavg'] = None
    t0 = time.monotonic()
    c0 = cpu_seconds(spid)
    # stdbuf execs uclient: proc.pid is uclient's pid. It stays in our process group, so whoever stops this
    # helper's group (the bench script's trap) stops uclient too.
    proc = subprocess.Popen(['stdbuf', '-oL', '-eL'] + a.cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, errors='replace')
    timed_out = []

    def kill():
        timed_out.append(True)
        try:
            proc.kill()
        except OSError:
            pass

    timer = threading.Timer(a.timeout, kill)
    timer.start()
    samples = []   # (t, sent, recv, server cpu, client cpu)
    final = {}
    errors = {}
    with open(a.log, 'w') as log:
        for line in proc.stdout:
            t = time.monotonic() - t0
            log.write(f'{t:9.3f} {line}')
            m = PROGRESS.search(line)
            if m:
                tracker.sample({'client': proc.pid})
                samples.append((t, int(m[1]), int(m[2]), cpu_seconds(spid) - c0, cpu_seconds(proc.pid) or 0.0))
                continue
            m = FINAL.search(line)
            if m:
                tracker.sample({'client': proc.pid})
                final.update(sent=int(m[1]), recv=int(m[2]), t=t, cpu=cpu_seconds(spid) - c0,
                             client_cpu=cpu_seconds(proc.pid) or 0.0)
                continue
            m = LOST.search(line)
            if m:
                final.update(lost=int(m[1]), send_dropped=int(m[3]))
                continue
            m = RTT.search(line)
            if m:
                final['rtt_ms'] = float(m[1])
                continue
            if ERRLINE.search(line):
                key = re.sub(r'^\s*\d+:\s*:\s*', '', line.strip())[:120]
                errors[key] = errors.get(key, 0) + 1
    proc.wait()
    timer.cancel()
    rec['rc'] = proc.returncode
    rec['timed_out'] = bool(timed_out)
    rec['wall_s'] = round(time.monotonic() - t0, 3)
    rec['server_cpu_total_s'] = round(cpu_seconds(spid) - c0, 3)
    rec['errors'] = errors
    snmp1 = rcvbuf_errors()
    rec['drops'] = tracker.totals()
    rec['rcvbuf_errors_machine'] = None if snmp0 is None or snmp1 is None else snmp1 - snmp0
    rec['valid'] = bool(final.get('sent')) and not timed_out and 'recv' in final
    if rec['valid']:
        sent, recv = final['sent'], final['recv']
        rec.update(sent=sent, recv=recv, lost=final.get('lost', sent - recv),
                   loss_pct=round(100.0 * (sent - recv) / sent, 3), rtt_ms=final.get('rtt_ms'))
        # Active seconds: the intervals between consecutive timestamped counters in which anything moved
        # (the first, partial, interval counts whole: a slight underestimate of pps, the same for both servers).
        points = [(0.0, 0, 0, 0.0, 0.0)] + samples + [(final['t'], sent, recv, final['cpu'], final['client_cpu'])]
        active, cpu, ccpu, peak = 0.0, 0.0, 0.0, 0.0
        for p, q in zip(points, points[1:]):
            moved = (q[1] + q[2]) - (p[1] + p[2])
            dt = q[0] - p[0]
            if moved > 0 and dt > 0:
                active += dt
                cpu += q[3] - p[3]
                ccpu += q[4] - p[4]
                if dt > 0.5:
                    peak = max(peak, moved / dt)
        pkts = sent + recv
        rec['active_s'] = round(active, 3)
        rec['pps'] = round(pkts / active, 1) if active else None
        rec['peak_pps'] = round(peak, 1)
        rec['server_cpu_active_s'] = round(cpu, 3)
        rec['cpu_us_per_pkt'] = round(cpu * 1e6 / pkts, 3) if pkts else None
        rec['client_cpu_share'] = round(ccpu / active, 3) if active else None   # 1.0 = one core busy
        rec['server_cpu_share'] = round(cpu / active, 3) if active else None
    with open(a.out, 'a') as f:
        f.write(json.dumps(rec) + '\n')
    brief = {k: rec.get(k) for k in ('server', 'clients', 'z', 'round', 'pps', 'loss_pct', 'cpu_us_per_pkt',
                                      'active_s', 'client_cpu_share', 'server_cpu_share', 'drops', 'rc')}
    print(json.dumps(brief))


# ------------------------------------------------------------------------------------------------ report

SECTION = 'TURN relay vs coturn'


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt_num(x, unit=''):
    if x is None:
        return 'n/a'
    if abs(x) >= 10000:
        return f'{x / 1000:,.1f} k{unit}'
    if abs(x) >= 100:
        return f'{x:,.0f}{unit}'
    if abs(x) >= 10:
        return f'{x:.1f}{unit}'
    return f'{x:.2f}{unit}'


def ratio(a, b):
    if a is None or b is None or b == 0:
        return 'n/a'
    return f'{a / b:.2f}×'


def spread(xs, f=fmt_num):
    xs = [x for x in xs if x is not None]
    if len(xs) < 2:
        return ''
    return f' <sub>({f(min(xs))}–{f(max(xs))})</sub>'


def report(a):
    recs = [json.loads(l) for l in open(a.results) if l.strip()]
    meta = {}
    for r in recs:
        if r.get('kind') == 'meta':
            if r.get('append'):
                meta.setdefault(r['key'], []).append(r['value'])
            else:
                meta[r['key']] = r['value']
    relay = [r for r in recs if r.get('kind') == 'relay']
    paced = [r for r in recs if r.get('kind') == 'paced']
    alloc = [r for r in recs if r.get('kind') == 'alloc']
    alloc1 = [r for r in recs if r.get('kind') == 'alloc1']
    rss = [r for r in recs if r.get('kind') == 'rss']
    heap = [r for r in recs if r.get('kind') == 'heap']
    servers = ('ours', 'coturn')
    counts = sorted({r['clients'] for r in relay} | {r['clients'] for r in alloc}) or [1, 50, 200]

    L = []
    w = L.append
    w(f'## {SECTION}')
    w('')
    w(f'Generated by `bench/turn-vs-coturn` (re-run it to refresh this section; raw runs and logs of the last run '
      f'are in `bench/results/turn-vs-coturn-last/`, not committed).')
    w('')
    w(f'- **Date**: {meta.get("date", "?")}')
    w(f'- **Machine**: {meta.get("nproc", "?")} CPUs ({meta.get("cpu_model", "?")}), {meta.get("mem", "?")} RAM, '
      f'kernel {meta.get("kernel", "?")}; {meta.get("java", "?")}; coturn {meta.get("coturn", "?")}')
    w(f'- **Was the machine otherwise busy?** {meta.get("busy", "?")}')
    w(f'- **Switchboard build**: {meta.get("build", "?")}')
    w(f'- **Total run time**: {meta.get("elapsed", "?")}')
    w('')
    w('### Results (median of the rounds; <sub>(min–max)</sub> when they differ)')
    w('')
    w('| metric | clients | Switchboard (ours) | coturn 4.6.1 | ours ÷ coturn |')
    w('|---|---:|---:|---:|---:|')

    def by(rs, server, m):
        return [r for r in rs if r['server'] == server and r['clients'] == m]

    notes = []
    # relayed pps, flood
    for m in counts:
        cells = {}
        vals = {}
        for s in servers:
            rs = by(relay, s, m)
            ok = [r for r in rs if r.get('valid')]
            bad = [r for r in rs if not r.get('valid')]
            if not ok:
                cells[s] = 'not measured: ' + (f'uclient failed (rc {bad[0].get("rc")}'
                                               f'{", timed out" if bad[0].get("timed_out") else ""})'
                                               if bad else 'no run')
                vals[s] = None
                continue
            p = med([r['pps'] for r in ok])
            losses = ', '.join(f'{r["loss_pct"]:.2f}' for r in ok)
            cells[s] = (f'{fmt_num(p)}{spread([r["pps"] for r in ok])}<br>loss {losses} %'
                        f'<br>best 1-s: {fmt_num(max(r["peak_pps"] for r in ok))}')
            if bad:
                cells[s] += f'<br>({len(bad)} failed run(s))'
            vals[s] = p
        w(f'| relayed packets/s, flood (`-z 0`), loss per round | {m} | {cells["ours"]} | {cells["coturn"]} | '
          f'{ratio(vals["ours"], vals["coturn"])} |')
    # highest rate seen without loss: the best 1-s rate (the plateau) of any run that lost nothing
    for m in counts:
        cells, vals = {}, {}
        for s in servers:
            flood_ok = [r for r in by(relay, s, m) if r.get('valid')]
            tried = sorted([r for r in by(paced, s, m) if r.get('valid')], key=lambda r: -r['offered_pps'])
            cands = []  # (best 1-s pps, label, load)
            for r in flood_ok:
                if r['loss_pct'] == 0:
                    cands.append((r['peak_pps'], f'flood round {r["round"]} (average {fmt_num(r["pps"])})', 0))
            for r in tried:
                if r['loss_pct'] == 0:
                    top = r is tried[0]
                    cands.append((r['peak_pps'], f'paced `-z {r["z"]}`, offered {fmt_num(r["offered_pps"])}'
                                                 f'{" (the fastest rung tried: the ceiling may be higher)" if top else ""}'
                                                 f' (average with ramp {fmt_num(r["pps"])})', r['z']))
            lossy = [f'`-z {r["z"]}` {r["loss_pct"]:.2f} %' for r in tried if r['loss_pct'] > 0]
            lossy += [f'flood round {r["round"]} {r["loss_pct"]:.2f} %' for r in flood_ok if r['loss_pct'] > 0]
            if cands:
                best = max(cands, key=lambda c: c[0])
                cells[s] = f'{fmt_num(best[0])}<br>{best[1]}' + (f'<br>lost: {", ".join(lossy)}' if lossy else '')
                vals[s] = best
            else:
                cells[s] = 'no run without loss' + (': ' + ', '.join(lossy) if lossy else '')
                vals[s] = None
        o, c = vals['ours'], vals['coturn']
        rt = ('n/a' if not o or not c else ratio(o[0], c[0]) if o[2] == c[2] else
              'n/a (the best lossless runs are different loads)')
        w(f'| highest relayed packets/s without loss (best 1-s rate of a 0 %-loss run) | {m} | {cells["ours"]} | '
          f'{cells["coturn"]} | {rt} |')
    # cpu per packet
    for m in counts:
        cells, vals = {}, {}
        for s in servers:
            ok = [r for r in by(relay, s, m) if r.get('valid') and r.get('cpu_us_per_pkt') is not None]
            v = med([r['cpu_us_per_pkt'] for r in ok])
            vals[s] = v
            cells[s] = (f'{fmt_num(v)} µs{spread([r["cpu_us_per_pkt"] for r in ok])}<br>'
                        f'server busy {med([r["server_cpu_share"] for r in ok]):.2f} cores') if ok else 'n/a'
        w(f'| server CPU per relayed packet (flood runs) | {m} | {cells["ours"]} | {cells["coturn"]} | '
          f'{ratio(vals["ours"], vals["coturn"])} |')
    # allocations per second
    for kind_rs, label in ((alloc, 'Allocate + 401 + Allocate + Refresh(0) cycles/s (sources spread over 127.0.0.2-254)'),
                           (alloc1, 'the same, every client from one source address (127.0.0.1)')):
        for m in sorted({r['clients'] for r in kind_rs}):
            cells, vals = {}, {}
            for s in servers:
                rs = by(kind_rs, s, m)
                ok = [r for r in rs if r.get('cycles', 0) > 0]
                v = med([r['cycles_per_s'] for r in ok])
                vals[s] = v
                if ok:
                    fails = {}
                    for r in ok:
                        for k, n in (r.get('failures') or {}).items():
                            fails[k] = fails.get(k, 0) + n
                    tot = sum(r['cycles'] for r in ok)
                    fail_txt = ('<br>failed cycles: ' + ', '.join(f'{k} ×{n}' for k, n in fails.items())
                                if fails else '')
                    cells[s] = (f'{fmt_num(v)}/s{spread([r["cycles_per_s"] for r in ok])}<br>'
                                f'p50 {med([r["p50_ms"] for r in ok]):.2f} ms, p99 {med([r["p99_ms"] for r in ok]):.1f} ms'
                                f'<br>retransmitted requests: {", ".join(str(r.get("retransmits", "?")) for r in ok)}'
                                f'{fail_txt}')
                else:
                    cells[s] = 'not measured' + (f' ({rs[0].get("error", "client failed")})' if rs else '')
            w(f'| {label} | {m} | {cells["ours"]} | {cells["coturn"]} | '
              f'{ratio(vals["ours"], vals["coturn"])} |')
    for m in sorted({r['clients'] for r in alloc}):
        cells, vals = {}, {}
        for s in servers:
            ok = [r for r in by(alloc, s, m) if r.get('cycles', 0) > 0 and r.get('server_cpu_s') is not None]
            v = med([(r['server_cpu_s'] + (r.get('server_tail_cpu_s') or 0)) * 1e6 / r['cycles'] for r in ok])
            during = med([r['server_cpu_s'] * 1e6 / r['cycles'] for r in ok])
            vals[s] = v
            unsettled = [r for r in ok if r.get('settled') is False]
            cells[s] = (f'{fmt_num(v)} µs<br>({fmt_num(during)} µs during the run, the rest after it'
                        + (f'; {len(unsettled)} run(s) not idle 30 s later' if unsettled else '') + ')') if ok else 'n/a'
        w(f'| server CPU per allocation cycle (sources spread) | {m} | {cells["ours"]} | {cells["coturn"]} | '
          f'{ratio(vals["ours"], vals["coturn"])} |')
    # RSS
    cells, vals = {}, {}
    for s in servers:
        rs = sorted([r for r in rss if r['server'] == s], key=lambda r: r['round'])
        ok = [r for r in rs if r.get('allocated', 0) > 0]
        if ok:
            per = [(r['rss_after_kb'] - r['rss_before_kb']) / 1024 * 1000 / r['allocated'] for r in ok]
            vals[s] = per[0] if min(per) >= 0 else None
            jvm = s == 'ours'
            cells[s] = ('' if min(per) >= 0 else
                        '**not reliable**: the rounds disagree in sign (the heap resizing, not the allocations, '
                        'moves RSS)<br>') + (f'{per[0]:+.1f} MiB (round 1)' +
                        ''.join(f'<br>{p:+.1f} MiB (round {r["round"]})' for p, r in zip(per[1:], ok[1:])) +
                        f'<br>RSS before: {ok[0]["rss_before_kb"] / 1024:.0f} MiB' +
                        ('<br>noisy: a JVM\'s RSS follows heap resizing and JIT, not only the allocations '
                         '(the live-heap row below is steadier)' if jvm else ''))
        else:
            vals[s] = None
            cells[s] = 'not measured' + (f' ({rs[0].get("error")})' if rs and rs[0].get('error') else '')
    w(f'| resident memory (VmRSS) per 1 000 live allocations | — | {cells["ours"]} | {cells["coturn"]} | '
      f'{ratio(vals["ours"], vals["coturn"]) + " (noisy)" if (vals["ours"] or 0) > 0 and (vals["coturn"] or 0) > 0 else "n/a"} |')
    if heap:
        h = heap[0]
        if h.get('allocated'):
            per = (h['heap_after_kb'] - h['heap_before_kb']) / 1024 * 1000 / h['allocated']
            w(f'| Java heap live after full GC per 1 000 allocations (ours only, `jcmd GC.run`) | — | '
              f'{per:+.2f} MiB | — | — |')
        else:
            w(f'| Java heap live after full GC per 1 000 allocations | — | not measured ({h.get("error", "?")}) | — | — |')
    w('')
    w('### How it was measured')
    w('')
    for line in meta.get('method', []):
        w(f'- {line}')
    w('')
    w('### Observations from this run')
    w('')
    for line in meta.get('observations', []):
        w(f'- {line}')
    floods = [r for r in relay if r.get('valid')]
    if floods:
        ms = max(floods, key=lambda r: r.get('server_cpu_share') or 0)
        mc = max(floods, key=lambda r: r.get('client_cpu_share') or 0)
        w(f'- At flood neither server used all of the 2 CPUs: the most was {ms["server_cpu_share"]:.2f} cores '
          f'({ms["server"]}, {ms["clients"]} client{"s" if ms["clients"] != 1 else ""}), with uclient at most {mc["client_cpu_share"]:.2f} cores; '
          f'uclient paces itself (a 1 ms timer, at most 50 messages per session per tick, sessions starting over '
          f'1-6 s), so the flood figures are what this client offers, not a server ceiling.')
        parts = []
        for s in servers:
            tot = {}
            for r in floods:
                if r['server'] == s:
                    for k, v in (r.get('drops') or {}).items():
                        tot[k] = tot.get(k, 0) + v
            lost = sum(r.get('lost', 0) for r in floods if r['server'] == s)
            parts.append(f'{s}: {lost} lost; receive-buffer drops on the server\'s sockets {tot.get("server", 0)}, '
                         f'the echo peer\'s {tot.get("peer", 0)}, uclient\'s {tot.get("client", 0)}')
        w('- Where the flood packets were lost (all flood rounds): ' + '; '.join(parts) + '. The bursts overflow '
          'socket receive buffers (the kernel default, rmem_default, unless the program asks for more); '
          'per run below.')
    for s in servers:
        rs = [r for r in alloc if r['server'] == s and r.get('cycles')]
        if rs:
            during = sum(r['server_cpu_s'] for r in rs)
            after = sum(r.get('server_tail_cpu_s') or 0 for r in rs)
            cyc = sum(r['cycles'] for r in rs)
            w(f'- After the allocation runs, {s} kept working: {after:.1f} s of CPU after the load stopped vs '
              f'{during:.1f} s during it ({after * 1e6 / cyc:.0f} µs per cycle afterwards).')
    for s in servers:
        rs = [r for r in alloc1 if r['server'] == s and r.get('cycles')]
        if rs:
            w(f'- One source address, {s}: {med([r["cycles_per_s"] for r in rs]):.0f} cycles/s, '
              f'{sum(r.get("retransmits") or 0 for r in rs)} requests retransmitted after 500 ms without an answer.')
    # drops attribution summary
    for m in counts:
        for s in servers:
            ok = [r for r in by(relay, s, m) if r.get('valid') and r['loss_pct'] > 0]
            if ok:
                parts = []
                for r in ok:
                    d = r.get('drops', {})
                    parts.append(f'round {r["round"]}: lost {r["lost"]}; receive-buffer drops on the server\'s sockets '
                                 f'{d.get("server", 0)}, peer {d.get("peer", 0)}, uclient {d.get("client", 0)} '
                                 f'(machine-wide RcvbufErrors +{r.get("rcvbuf_errors_machine")})')
                w(f'- Flood loss, {s}, {m} client{"s" if m != 1 else ""} — ' + '; '.join(parts) + '.')
    w('')
    w('<details><summary>Every run</summary>')
    w('')
    w('| kind | server | clients | round | `-z` | `-n` | sent | recv | loss % | active s | pkt/s | best 1-s pkt/s | '
      'µs CPU/pkt | server cores | uclient cores | loadavg | drops server/peer/uclient | uclient errors |')
    w('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|')
    for r in relay + paced:
        d = r.get('drops', {})
        errs = '; '.join(f'{k} ×{n}' for k, n in (r.get('errors') or {}).items()) or ''
        if not r.get('valid'):
            w(f'| {r["kind"]} | {r["server"]} | {r["clients"]} | {r.get("round", "")} | {r.get("z")} | {r.get("n")} | '
              f'failed rc={r.get("rc")} timed_out={r.get("timed_out")} | | | | | | | | | | | {errs} |')
            continue
        w(f'| {r["kind"]} | {r["server"]} | {r["clients"]} | {r.get("round", "")} | {r.get("z")} | {r.get("n")} | '
          f'{r["sent"]} | {r["recv"]} | {r["loss_pct"]:.3f} | {r["active_s"]:.1f} | {r["pps"]:,.0f} | '
          f'{r["peak_pps"]:,.0f} | {r["cpu_us_per_pkt"]:.2f} | {r["server_cpu_share"]:.2f} | '
          f'{r["client_cpu_share"]:.2f} | {r.get("loadavg")} | {d.get("server", 0)}/{d.get("peer", 0)}/{d.get("client", 0)} | '
          f'{errs} |')
    w('')
    w('| kind | server | clients | source addresses | round | cycles | seconds | cycles/s | p50 ms | p99 ms | '
      'retransmits | server CPU s during / after | loadavg | failures |')
    w('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|')
    for r in alloc + alloc1:
        w(f'| {r["kind"]} | {r["server"]} | {r["clients"]} | {r.get("sources")} | {r["round"]} | {r.get("cycles")} | '
          f'{r.get("seconds")} | {r.get("cycles_per_s")} | {r.get("p50_ms")} | {r.get("p99_ms")} | '
          f'{r.get("retransmits")} | {r.get("server_cpu_s")} / {r.get("server_tail_cpu_s")} | {r.get("loadavg")} | '
          f'{json.dumps(r.get("failures") or r.get("error") or {})} |')
    w('')
    w('| kind | server | round | allocated | RSS before KiB | RSS after KiB | samples after |')
    w('|---|---|---:|---:|---:|---:|---|')
    for r in rss + heap:
        w(f'| {r["kind"]} | {r["server"]} | {r.get("round", "")} | {r.get("allocated")} | '
          f'{r.get("rss_before_kb", r.get("heap_before_kb"))} | {r.get("rss_after_kb", r.get("heap_after_kb"))} | '
          f'{r.get("rss_samples_after", "")} |')
    w('')
    w('</details>')
    w('')
    section = '\n'.join(L)

    path = a.benchmarks
    old = open(path).read() if os.path.exists(path) else '# Benchmarks\n'
    pat = re.compile(r'^## ' + re.escape(SECTION) + r'\s*$.*?(?=^## |\Z)', re.S | re.M)
    if pat.search(old):
        new = pat.sub(lambda _: section + '\n', old, count=1)
    else:
        new = old.rstrip('\n') + '\n\n' + section + '\n'
    with open(path, 'w') as f:
        f.write(new)
    print(section)


def logscan(a):
    """One sentence about WildFly's server.log: ERROR/WARN lines at boot, while benchmarking, at shutdown."""
    head = re.compile(r'^\d{4}-\d\d-\d\d [\d:,]+ +(ERROR|WARN|INFO|DEBUG|TRACE|FINE\w*) +(.*)$')
    phase = 'boot'
    counts = {'boot': {}, 'run': {}, 'shutdown': {}}
    throwables = {}
    for line in open(a.log, errors='replace'):
        line = line.rstrip('\n')
        m = head.match(line)
        if m:
            level, msg = m[1], m[2]
            if phase == 'run' and re.search(r'WFLYSRV0220|WFLYSRV0272|WFLYSRV0211', msg):
                phase = 'shutdown'
            if level in ('ERROR', 'WARN'):
                key = level + ' ' + re.sub(r'\((default|ServerService|MSC|Controller|Thread|pool)[^)]*\) ', '', msg)
                key = re.sub(r'/tmp/turn-vs-coturn\.\w+', '$TMP', key)[:200]
                counts[phase][key] = counts[phase].get(key, 0) + 1
            if 'WFLYSRV0025' in msg or 'WFLYSRV0026' in msg:
                phase = 'run'
        t = re.search(r'((?:[a-z_$][\w$]*\.)+(?:[A-Z][\w$]*?)?(?:Exception|Error))(?::|\s|$)', line)
        if t and ('Caused by' in line or m or not line.startswith(('\t', ' '))):
            k = (phase, t[1])
            throwables[k] = throwables.get(k, 0) + 1
    out = []
    for ph in ('boot', 'run', 'shutdown'):
        c = counts[ph]
        n = sum(c.values())
        txt = f'{ph}: {n} ERROR/WARN line(s)'
        if n and ph != 'boot':
            txt += ' — ' + '; '.join(f'{v}× `{k}`' for k, v in sorted(c.items(), key=lambda kv: -kv[1])[:4])
        out.append(txt)
    th = [f'{v}× {k[1]} ({k[0]})' for k, v in sorted(throwables.items(), key=lambda kv: -kv[1])]
    print('; '.join(out) + ('. Throwables named in the log: ' + ', '.join(th[:8]) if th else '. No exception in the log'))


def busy(a):
    """Machine-wide CPU use over a.seconds (from /proc/stat) and the processes that used the most of it."""
    def total():
        with open('/proc/stat') as f:
            v = [int(x) for x in f.readline().split()[1:]]
        idle = v[3] + (v[4] if len(v) > 4 else 0)
        return sum(v[:8]), idle

    def procs():
        out = {}
        for d in os.listdir('/proc'):
            if d.isdigit():
                try:
                    with open(f'/proc/{d}/stat') as f:
                        st = f.read()
                    name = st[st.index('(') + 1:st.rindex(')')]
                    fl = st[st.rindex(')') + 2:].split()
                    out[int(d)] = (name, int(fl[11]) + int(fl[12]))
                except (OSError, ValueError, IndexError):
                    pass
        return out

    t0, i0 = total()
    p0 = procs()
    time.sleep(a.seconds)
    t1, i1 = total()
    p1 = procs()
    ncpu = os.cpu_count() or 1
    used = 1 - (i1 - i0) / max(1, t1 - t0)
    names = dict(kv.split('=', 1) for kv in a.name)
    top = []
    for pid, (name, v) in p1.items():
        if pid in p0:
            d = (v - p0[pid][1]) / TCK / a.seconds
            if d >= 0.05:
                top.append((d, names.get(str(pid), name + ' (not ours)' if names else name)))
    top.sort(reverse=True)
    txt = (f'{used * 100:.0f} % of {ncpu} CPUs busy over {a.seconds:g} s'
           + ('; ' + ', '.join(f'{n} {d * 100:.0f} %' for d, n in top[:4]) if top else ''))
    if a.label:
        print(('yes' if used > 0.10 else 'no') + ' — ' + txt)
    else:
        print(txt)


def record(a):
    """Appends one JSON record: key=value pairs (numbers converted) merged over an optional JSON object."""
    rec = {}
    if a.json:
        try:
            rec.update(json.loads(a.json))
        except ValueError:
            rec['error'] = 'unparsable client output: ' + a.json[:200]
    for kv in a.pairs:
        k, v = kv.split('=', 1)
        for conv in (int, float):
            try:
                v = conv(v)
                break
            except ValueError:
                pass
        if v == 'true' or v == 'false':
            v = v == 'true'
        rec[k] = v
    with open(a.out, 'a') as f:
        f.write(json.dumps(rec) + '\n')


def main():
    import argparse
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest='cmd_name', required=True)
    u = sub.add_parser('uclient')
    u.add_argument('--out', required=True)
    u.add_argument('--log', required=True)
    u.add_argument('--timeout', type=float, required=True)
    u.add_argument('--server-pid', type=int, required=True)
    u.add_argument('--peer-pid', type=int, required=True)
    u.add_argument('--set', action='append', default=[])
    u.add_argument('cmd', nargs=argparse.REMAINDER)
    r = sub.add_parser('report')
    r.add_argument('--results', required=True)
    r.add_argument('--benchmarks', required=True)
    g = sub.add_parser('logscan')
    g.add_argument('--log', required=True)
    b = sub.add_parser('busy')
    b.add_argument('--seconds', type=float, default=2.0)
    b.add_argument('--label', action='store_true')
    b.add_argument('--name', action='append', default=[], help='PID=LABEL for processes of the bench')
    c = sub.add_parser('record')
    c.add_argument('--out', required=True)
    c.add_argument('--json', default='')
    c.add_argument('pairs', nargs='*')
    a = ap.parse_args()
    if a.cmd_name == 'record':
        record(a)
    elif a.cmd_name == 'logscan':
        logscan(a)
    elif a.cmd_name == 'busy':
        busy(a)
    elif a.cmd_name == 'uclient':
        if a.cmd and a.cmd[0] == '--':
            a.cmd = a.cmd[1:]
        run_uclient(a)
    else:
        report(a)


if __name__ == '__main__':
    main()
