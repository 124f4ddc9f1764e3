// The /signal socket (docs/signaling.md): join with a ticket, ping every half idle timeout, and when the socket
// drops without a leave, resume with the last resume token until the grace period is over. Messages sent while
// the socket is down wait and go out, in order, once it is back. Messages the server numbers (`seq`) are
// acknowledged every second and on leave; a resume names the last one processed, and one seen before is dropped.
const FINAL = new Set([1000, 4401, 4402, 4403, 4404, 4405, 4409, 4410, 4430, 4431, 4432]);

export class Signaling extends EventTarget {
    constructor(path) {
        super();
        const url = new URL(path, location.href);
        url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
        this.url = url.href;
        this.ws = null;
        this.state = 'idle';          // idle, connecting, joined, reconnecting, closed
        this.participant = null;
        this.resumeToken = null;
        this.grace = 30;
        this.idle = 60;
        this.waiting = [];            // messages sent while the socket is down
        this.reconnects = 0;
        this.lastClose = null;
        this.pinger = null;
        this.processed = 0;           // every seq up to this one was processed
        this.ahead = new Set();       // seqs processed above it (arrived out of order)
        this.acked = 0;
        this.acker = null;
    }

    /** False for a seq processed before (the server sent it again after a resume or a node's failure). */
    fresh(seq) {
        if (seq <= this.processed || this.ahead.has(seq)) {
            return false;
        }
        this.ahead.add(seq);
        while (this.ahead.delete(this.processed + 1)) {
            this.processed++;
        }
        return true;
    }

    /** Cumulative: everything up to the highest seq of an unbroken run from 1. */
    ack() {
        if (this.processed > this.acked && this.ws && this.ws.readyState === WebSocket.OPEN) {
            this.ws.send(JSON.stringify({type: 'ack', seq: this.processed}));
            this.acked = this.processed;
        }
    }

    emit(type, detail) {
        this.dispatchEvent(new CustomEvent(type, {detail}));
    }

    setState(state) {
        this.state = state;
        this.emit('state', state);
    }

    /**
     * Joins {@code room} with {@code ticket}; resolves with the joined message. A join closed with 4503
     * (cluster-degraded: that node is cut off from most of its cluster) spent nothing, so the same ticket is tried
     * again, backing off from 250 ms to 2 s for up to 10 s: a balancer, or the cluster healing, gives a node that can.
     */
    join(room, ticket) {
        const deadline = Date.now() + 10000;
        const attempt = delay => new Promise((resolve, reject) => {
            this.setState('connecting');
            this.open({type: 'join', room, ticket}, resolve, reject);
        }).catch(e => {
            if (e.code === 4503 && this.state === 'connecting' && Date.now() + delay < deadline) {
                return new Promise(r => setTimeout(r, delay)).then(() => this.state === 'connecting'
                    ? attempt(Math.min(delay * 2, 2000)) : Promise.reject(e));
            }
            if (e.code === 4503 && this.state === 'connecting') {
                this.setState('closed');
                this.emit('closed', this.lastClose);
            }
            throw e;
        });
        return attempt(250);
    }

    open(first, resolve, reject) {
        const ws = new WebSocket(this.url);
        this.ws = ws;
        let settled = false;
        ws.onopen = () => ws.send(JSON.stringify(first));
        ws.onmessage = e => {
            const m = JSON.parse(e.data);
            if (typeof m.seq === 'number' && !this.fresh(m.seq)) {
                return;
            }
            if (m.type === 'joined') { // a new participant: its numbers start again from 1
                this.processed = 0;
                this.ahead.clear();
                this.acked = 0;
            }
            if (m.type === 'resumed') {
                this.acked = this.processed; // lastSeq said so
            }
            if (m.type === 'joined' || m.type === 'resumed') {
                this.participant = m.participant;
                this.resumeToken = m.resumeToken;
                this.grace = m.resumeGrace;
                this.idle = m.idleTimeout;
                this.setState('joined');
                this.startPing();
                const waiting = this.waiting;
                this.waiting = [];
                waiting.forEach(w => ws.send(w));
                if (!settled) {
                    settled = true;
                    resolve(m);
                }
            }
            this.emit('message', m);
        };
        ws.onclose = e => {
            if (this.ws !== ws) {
                return; // an old socket, already replaced
            }
            this.stopPing();
            this.lastClose = {code: e.code, reason: e.reason};
            const wasSettled = settled;
            if (!settled) {
                settled = true;
                reject(Object.assign(new Error('signaling closed ' + e.code + ' ' + e.reason), {code: e.code}));
            }
            if (this.state === 'closed' || (!wasSettled && this.state === 'reconnecting')) {
                return; // left, or a failed resume attempt: the reconnect loop decides
            }
            if (!wasSettled && !this.resumeToken && e.code === 4503) {
                return; // a join a degraded node refused: join() tries again
            }
            if (this.resumeToken && !FINAL.has(e.code) && e.code !== 4433) {
                this.reconnect(Date.now() + this.grace * 1000);
            } else {
                this.setState('closed');
                this.emit('closed', {code: e.code, reason: e.reason});
            }
        };
    }

    /** Tries to resume until the deadline, backing off from 250 ms to 2 s between attempts. */
    reconnect(deadline, delay = 250) {
        this.setState('reconnecting');
        setTimeout(() => {
            if (this.state !== 'reconnecting') {
                return;
            }
            this.reconnects++;
            const token = this.resumeToken;
            this.open({type: 'resume', token, lastSeq: this.processed}, m => this.emit('resumed', m), () => {
                const c = this.lastClose && this.lastClose.code;
                if (this.state === 'closed') {
                    return;
                }
                if (c === 4433 || FINAL.has(c)) {
                    this.setState('closed');
                    this.emit('closed', this.lastClose);
                } else if (Date.now() + delay < deadline) {
                    this.reconnect(deadline, Math.min(delay * 2, 2000));
                } else {
                    this.setState('closed');
                    this.emit('closed', {code: c, reason: 'could not resume within the grace period'});
                }
            });
        }, delay);
    }

    send(message) {
        const text = JSON.stringify(message);
        if (this.state === 'joined' && this.ws.readyState === WebSocket.OPEN) {
            this.ws.send(text);
        } else if (this.state !== 'closed') {
            this.waiting.push(text);
        }
    }

    startPing() {
        this.stopPing();
        this.pinger = setInterval(() => this.send({type: 'ping'}), Math.max(1, this.idle / 2) * 1000);
        this.acker = setInterval(() => this.ack(), 1000);
    }

    stopPing() {
        clearInterval(this.pinger);
        clearInterval(this.acker);
        this.pinger = null;
        this.acker = null;
    }

    /** Closes the socket as a network loss would: no leave, so the participant may resume. */
    drop() {
        if (this.ws) {
            this.ws.close(4000, 'dropped by the page');
        }
    }

    leave() {
        this.stopPing();
        if (this.ws && this.ws.readyState === WebSocket.OPEN) {
            this.ack();
            this.ws.send(JSON.stringify({type: 'leave'}));
        }
        this.setState('closed');
        if (this.ws) {
            this.ws.close(1000, 'left');
        }
    }
}
