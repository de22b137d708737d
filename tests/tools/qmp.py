# SPDX-License-Identifier: MIT
"""A minimal QMP client, written against QEMU's documented protocol
(docs/interop/qmp-spec.rst): the server greets, the client negotiates with
qmp_capabilities, then sends {"execute": ..., "arguments": ..., "id": ...}
and reads replies ({"return": ...} / {"error": ...}) and asynchronous events
({"event": ..., "data": ..., "timestamp": ...}) from the same stream."""

import json
import socket
import time


class QMPError(Exception):
    pass


class QMP:
    def __init__(self, path, timeout=10.0):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.buf = b''
        self.events = []
        self.greeting = self.recv()

    def close(self):
        self.sock.close()

    def send_raw(self, data):
        self.sock.sendall(data)

    def recv(self):
        """The next message from the server (a dict)."""
        while b'\n' not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise QMPError('connection closed')
            self.buf += chunk
        line, self.buf = self.buf.split(b'\n', 1)
        return json.loads(line)

    def reply(self):
        """The next reply; events met on the way are kept in self.events."""
        while True:
            msg = self.recv()
            if 'event' in msg:
                self.events.append(msg)
                continue
            return msg

    def raw(self, msg):
        self.send_raw((json.dumps(msg) + '\n').encode())
        return self.reply()

    def cmd(self, name, args=None, msg_id=None):
        msg = {'execute': name}
        if args is not None:
            msg['arguments'] = args
        if msg_id is not None:
            msg['id'] = msg_id
        return self.raw(msg)

    def negotiate(self):
        return self.cmd('qmp_capabilities')

    def wait_event(self, name, timeout=5.0, pred=None):
        """The first event called name (already received or arriving within timeout)."""
        deadline = time.time() + timeout
        while True:
            for i, ev in enumerate(self.events):
                if ev.get('event') == name and (pred is None or pred(ev)):
                    return self.events.pop(i)
            left = deadline - time.time()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                msg = self.recv()
            except (socket.timeout, TimeoutError):
                return None
            finally:
                self.sock.settimeout(10.0)
            if 'event' in msg:
                self.events.append(msg)
