"""A phone's Socket.IO connection spoken directly over one aiohttp WebSocket.

The sustained run sends a thousand writes a second from the same two cores the server uses;
python-socketio's AsyncClient costs the load generator several times what the frames
themselves do, so this speaks the few Engine.IO 4 / Socket.IO 5 packets a phone needs: open,
connect with auth, events, acknowledgements, ping/pong. Nothing else (no polling, no binary,
no namespaces, no reconnect).
"""

import asyncio
import contextlib
import itertools
import json

import aiohttp


class WireError(Exception):
    pass


class WirePhone:
    def __init__(self):
        self.ws = None
        self.ids = itertools.count(1)
        self.pending: dict[int, asyncio.Future] = {}
        self.handlers: dict[str, list] = {}
        self.connected = asyncio.get_running_loop().create_future()
        self.reader = None

    async def connect(self, http: aiohttp.ClientSession, url: str, cookie: str, auth: dict,
                      timeout: float = 30) -> "WirePhone":
        """Handlers set with on() before this see the pushes that follow the connect."""
        self.ws = await http.ws_connect(f"{url}/socket.io/?EIO=4&transport=websocket",
                                        headers={"Cookie": cookie}, autoping=False,
                                        max_msg_size=0, timeout=aiohttp.ClientWSTimeout(
                                            ws_close=5))
        self.reader = asyncio.create_task(self._read())
        await self.ws.send_str("40" + json.dumps(auth))
        await asyncio.wait_for(self.connected, timeout)
        return self

    def on(self, name: str, callback):
        self.handlers.setdefault(name, []).append(callback)

    async def call(self, name: str, data: dict, timeout: float = 30):
        ack_id = next(self.ids)
        future = asyncio.get_running_loop().create_future()
        self.pending[ack_id] = future
        await self.ws.send_str(f"42{ack_id}" + json.dumps([name, data]))
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            self.pending.pop(ack_id, None)

    async def disconnect(self):
        if self.ws is not None and not self.ws.closed:
            with contextlib.suppress(ConnectionError):
                await self.ws.send_str("41")
            await self.ws.close()
        if self.reader:
            self.reader.cancel()

    async def _read(self):
        try:
            async for message in self.ws:
                if message.type != aiohttp.WSMsgType.TEXT:
                    break
                self._packet(message.data)
        finally:
            error = WireError("connection closed")
            if not self.connected.done():
                self.connected.set_exception(error)
            for future in self.pending.values():
                if not future.done():
                    future.set_exception(error)

    def _packet(self, text: str):
        kind = text[0]
        if kind == "2":  # Engine.IO ping: answer or the server drops the phone
            asyncio.ensure_future(self.ws.send_str("3"))
            return
        if kind != "4":  # "0" open and anything else a phone does not need
            return
        packet, body = text[1], text[2:]
        if packet == "0":
            if not self.connected.done():
                self.connected.set_result(True)
        elif packet == "4":  # connect refused
            if not self.connected.done():
                self.connected.set_exception(WireError(body))
        elif packet in "23":
            start = body.find("[")
            ack_id = int(body[:start]) if start > 0 else None
            args = json.loads(body[start:])
            if packet == "3":
                future = self.pending.get(ack_id)
                if future and not future.done():
                    future.set_result(args[0] if args else None)
            else:
                for callback in self.handlers.get(args[0], ()):
                    callback(*args[1:])
