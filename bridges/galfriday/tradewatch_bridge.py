"""Gal Friday -> tradewatch bridge (Python standard library only).

Subscribes to Gal Friday's PubSubManager and posts its events, as ``Event.to_dict()``
writes them, to a tradewatch exporter (``POST /api/v1/events?format=galfriday``).

It never blocks the trading loop: a handler only appends the event to a bounded queue
(the oldest events are dropped when it is full, and the drops are counted and logged);
a background thread posts batches, retrying with exponential backoff and jitter while
the exporter is away. L2 books (the exporter's marks: their mid price) are sampled here,
at most one per pair per ``mark_interval`` seconds (default 1), and cut to their best
level each side before they are queued, so a busy book costs the bot next to nothing.
Usage (in Gal Friday's start-up, after the PubSubManager exists)::

    from tradewatch_bridge import TradewatchBridge
    from gal_friday.core.events import EventType

    bridge = TradewatchBridge("http://127.0.0.1:9478", token=os.environ["TRADEWATCH_INGEST_TOKEN"])
    bridge.attach(pubsub_manager, EventType)
    ...
    bridge.close()   # at shutdown: sends what is queued (bounded wait)
"""

from __future__ import annotations

import collections
import datetime as _dt
import decimal
import enum
import json
import logging
import random
import threading
import time
import urllib.error
import urllib.request
import uuid
from typing import Any, Iterable

__all__ = ["TradewatchBridge", "DEFAULT_EVENT_TYPES"]

#: The Gal Friday event types the exporter maps (others would be acknowledged and ignored).
#: MARKET_DATA_L2 is where marks come from in Gal Friday's default wiring (it publishes no tickers).
DEFAULT_EVENT_TYPES = (
    "MARKET_DATA_L2",
    "EXECUTION_REPORT",
    "FILL",
    "MARKET_DATA_TICKER",
    "TRADE_SIGNAL_PROPOSED",
    "TRADE_SIGNAL_APPROVED",
    "TRADE_SIGNAL_REJECTED",
    "SYSTEM_STATE_CHANGE",
    "POTENTIAL_HALT_TRIGGER",
    "SYSTEM_ERROR",
    "RISK_LIMIT_ALERT",
)

# Answers that will not get better by sending the same batch again.
_PERMANENT = {401, 403, 404, 413, 415}


def _json_default(value: Any) -> Any:
    """What json cannot write by itself, the way to_dict() writes it (nested values included)."""
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


class TradewatchBridge:
    """Posts Gal Friday events to a tradewatch exporter from a background thread."""

    def __init__(
        self,
        url: str,
        token: str,
        engine: str = "galfriday",
        *,
        max_queue: int = 10_000,
        batch_size: int = 200,
        flush_interval: float = 0.25,
        timeout: float = 5.0,
        max_backoff: float = 30.0,
        mark_interval: float = 1.0,
        logger: logging.Logger | None = None,
    ) -> None:
        if max_queue < 1 or batch_size < 1:
            raise ValueError("max_queue and batch_size must be at least 1")
        self._endpoint = url.rstrip("/") + "/api/v1/events?format=galfriday"
        self._token = token
        self._engine = engine
        self._queue: collections.deque[dict[str, Any]] = collections.deque(maxlen=max_queue)
        self._batch_size = batch_size
        self._flush_interval = flush_interval
        self._timeout = timeout
        self._max_backoff = max_backoff
        self._mark_interval = mark_interval
        self._last_book: dict[str, float] = {}
        self._log = logger or logging.getLogger("tradewatch_bridge")
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._stats = {"queued": 0, "sent": 0, "dropped": 0, "rejected": 0, "retries": 0, "sampled_out": 0}
        self._last_error: str | None = None
        self._drops_logged = 0
        self._thread = threading.Thread(target=self._run, name="tradewatch-bridge", daemon=True)
        self._thread.start()

    # ---- the trading loop's side: O(1), no I/O ------------------------------------------

    def attach(self, pubsub: Any, event_type_enum: Any, names: Iterable[str] = DEFAULT_EVENT_TYPES) -> None:
        """Subscribes to each named event type on a PubSubManager (``subscribe(event_type, handler)``)."""
        for name in names:
            member = getattr(event_type_enum, name, None)
            if member is None:
                self._log.warning("tradewatch bridge: this Gal Friday has no EventType.%s; not subscribed", name)
                continue
            pubsub.subscribe(member, self.handle)

    async def handle(self, event: Any) -> None:
        """The PubSub handler (a coroutine, as PubSubManager expects)."""
        self.offer(event)

    def offer(self, event: Any) -> None:
        """Queues one event (an Event or an already made dict); drops the oldest when full."""
        try:
            if _is_book(event):
                if not self._book_due(event):
                    return
                data = _book_top(event)
            else:
                data = event.to_dict() if hasattr(event, "to_dict") else dict(event)
        except Exception as err:  # a broken event must never reach the trading loop
            self._log.warning("tradewatch bridge: cannot serialize %r: %s", event, err)
            with self._lock:
                self._stats["rejected"] += 1
            return
        data.setdefault("engine", self._engine)
        with self._lock:
            if len(self._queue) == self._queue.maxlen:
                self._stats["dropped"] += 1
            self._queue.append(data)
            self._stats["queued"] += 1
        if len(self._queue) >= self._batch_size:
            self._wake.set()

    def balances(self, balances: dict[str, Any], timestamp: _dt.datetime | None = None) -> None:
        """Queues the account's cash (e.g. Kraken's Balance answer, its codes as Kraken writes them).

        Gal Friday publishes no balances; send them once at start (and whenever you fetch them)
        so tradewatch's equity counts the same cash as Gal Friday's own.
        """
        when = timestamp or _dt.datetime.now(_dt.timezone.utc)
        self.offer({"type": "balance", "ts": when.isoformat(), "balances": {str(k): str(v) for k, v in balances.items()}})

    def _book_due(self, event: Any) -> bool:
        """One book per pair per mark_interval (monotonic clock); the others are counted as sampled_out."""
        pair = str(_field(event, "trading_pair"))
        now = time.monotonic()
        last = self._last_book.get(pair)
        if last is not None and now - last < self._mark_interval:
            with self._lock:
                self._stats["sampled_out"] += 1
            return False
        self._last_book[pair] = now
        return True

    def stats(self) -> dict[str, Any]:
        """Counts so far: queued, sent, dropped (queue full), rejected (by the exporter), retries,
        sampled_out (L2 books between marks); pending; last_error."""
        with self._lock:
            out: dict[str, Any] = dict(self._stats)
            out["pending"] = len(self._queue)
        out["last_error"] = self._last_error
        return out

    def close(self, timeout: float = 5.0) -> dict[str, Any]:
        """Sends what is queued (waiting at most ``timeout`` seconds), then stops the thread."""
        deadline = time.monotonic() + timeout
        self._wake.set()
        while self._queue and time.monotonic() < deadline and self._thread.is_alive():
            time.sleep(0.02)
        self._stopping.set()
        self._wake.set()
        self._thread.join(max(0.0, deadline - time.monotonic()) + 0.5)
        stats = self.stats()
        if stats["pending"] or stats["dropped"]:
            self._log.warning("tradewatch bridge closed: %s", stats)
        return stats

    # ---- the sender thread ----------------------------------------------------------------

    def _take(self) -> list[dict[str, Any]]:
        batch: list[dict[str, Any]] = []
        with self._lock:
            while self._queue and len(batch) < self._batch_size:
                batch.append(self._queue.popleft())
        return batch

    def _run(self) -> None:
        backoff = 0.0
        batch: list[dict[str, Any]] = []
        while not self._stopping.is_set():
            if not batch:
                self._wake.wait(self._flush_interval)
                self._wake.clear()
                batch = self._take()
                if not batch:
                    continue
            done = self._send(batch)
            self._report_drops()
            if done:
                batch = []
                backoff = 0.0
                continue
            # Exporter away or busy: keep the batch, wait (full jitter), try again.
            with self._lock:
                self._stats["retries"] += 1
            backoff = min(self._max_backoff, max(0.2, backoff * 2))
            if self._stopping.wait(random.uniform(0, backoff)):
                break
        if batch:
            with self._lock:
                self._queue.extendleft(reversed(batch))

    def _send(self, batch: list[dict[str, Any]]) -> bool:
        """True when the batch is settled (sent, or refused for good); False to retry it."""
        status, body = self._post(batch)
        if status == 200:
            # Dictionaries the exporter could not use are refused alone (the rest applied): counted, logged.
            refused = body.get("refused") if isinstance(body, dict) else None
            bad = {p.get("index") for p in refused if isinstance(p, dict)} if isinstance(refused, list) else set()
            if bad:
                self._log.warning("tradewatch bridge: the exporter left out %d event(s): %s", len(bad), refused[:5])
            with self._lock:
                self._stats["sent"] += len(batch) - len(bad)
                self._stats["rejected"] += len(bad)
            self._last_error = None
            return True
        if status in (400, 422) and isinstance(body, dict) and isinstance(body.get("problems"), list) and body["problems"]:
            # Some dictionaries are bad (400), or one would pass a label cap (422, naming the
            # setting to raise): report them, send the others once more.
            bad = {p.get("index") for p in body["problems"] if isinstance(p, dict)}
            self._log.warning("tradewatch bridge: the exporter refused %d event(s): %s", len(bad), body["problems"][:5])
            with self._lock:
                self._stats["rejected"] += len(bad)
            rest = [e for i, e in enumerate(batch) if i not in bad]
            if rest and len(rest) < len(batch):
                return self._send(rest)
            return True
        if status in _PERMANENT or status == 400:
            self._log.error("tradewatch bridge: the exporter answered %s (%s); %d event(s) dropped", status, body, len(batch))
            with self._lock:
                self._stats["rejected"] += len(batch)
            self._last_error = f"HTTP {status}"
            return True
        self._last_error = f"HTTP {status}: {body}" if status else str(body)
        return False

    def _post(self, batch: list[dict[str, Any]]) -> tuple[int, Any]:
        try:
            text = json.dumps(batch, default=_json_default, separators=(",", ":"), allow_nan=False)
        except ValueError:  # NaN or infinity in a float (RiskManager's metrics): JSON has no such number
            text = json.dumps(_finite(batch), default=_json_default, separators=(",", ":"), allow_nan=False)
        data = text.encode("utf-8")
        request = urllib.request.Request(
            self._endpoint,
            data=data,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self._token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                return response.status, _parse(response.read())
        except urllib.error.HTTPError as err:
            return err.code, _parse(err.read())
        except (urllib.error.URLError, OSError, TimeoutError) as err:
            return 0, getattr(err, "reason", err)

    def _report_drops(self) -> None:
        dropped = self._stats["dropped"]
        if dropped > self._drops_logged:
            self._log.warning(
                "tradewatch bridge: %d event(s) dropped so far because the queue was full (last error: %s); the bot trades on",
                dropped,
                self._last_error,
            )
            self._drops_logged = dropped


def _field(event: Any, name: str) -> Any:
    return event.get(name) if isinstance(event, dict) else getattr(event, name, None)


def _is_book(event: Any) -> bool:
    kind = _field(event, "event_type")
    name = getattr(kind, "name", None)
    return name == "MARKET_DATA_L2" or (isinstance(event, dict) and kind == 1)


def _book_top(event: Any) -> dict[str, Any]:
    """The book as to_dict() writes it, but with its best bid and best ask only (the mark needs no more)."""
    bids = _field(event, "bids") or []
    asks = _field(event, "asks") or []

    def best(levels: Any, pick: Any) -> list[Any]:
        priced = []
        for level in levels:
            try:
                priced.append((decimal.Decimal(str(level[0])), level))
            except (decimal.InvalidOperation, IndexError, TypeError):
                continue
        return [list(pick(priced, key=lambda p: p[0])[1])] if priced else []

    if isinstance(event, dict):
        data = dict(event)
    else:
        data = {f: getattr(event, f) for f in getattr(event, "__dataclass_fields__", {}) if f not in ("bids", "asks")}
        for key, value in list(data.items()):
            data[key] = _json_default(value) if not isinstance(value, (str, int, float, bool, type(None))) else value
    data["bids"] = best(bids, max)
    data["asks"] = best(asks, min)
    return data


def _finite(value: Any) -> Any:
    """NaN and infinities as None, all the way down."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def _parse(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return raw[:200].decode("utf-8", "replace")


def attach(pubsub: Any, event_type_enum: Any, url: str, token: str, **options: Any) -> TradewatchBridge:
    """One-line form: ``bridge = attach(pubsub, EventType, url, token)``."""
    bridge = TradewatchBridge(url, token, **options)
    bridge.attach(pubsub, event_type_enum)
    return bridge

