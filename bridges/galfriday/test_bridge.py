"""End-to-end test of the bridge against a real tradewatch exporter.

Run by tests/sources/galfriday-bridge.test.ts (which starts the exporter), or by hand:

    TRADEWATCH_URL=http://127.0.0.1:9478 TRADEWATCH_INGEST_TOKEN=... TRADEWATCH_VIEWER_TOKEN=... \
        python3 -m unittest -v bridges/galfriday/test_bridge.py

Gal Friday itself is not installed here: a small stand-in PubSubManager with the same
``subscribe(event_type, handler)`` API dispatches to async handlers from an asyncio
consumer, and stand-in events are dataclasses whose ``to_dict()`` writes what Gal
Friday's does (fields in declaration order, UUIDs and Decimals as str, isoformat()
times, the EventType's integer value).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import enum
import json
import os
import socket
import sys
import time
import unittest
import urllib.request
import uuid
from decimal import Decimal
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tradewatch_bridge import TradewatchBridge  # noqa: E402

URL = os.environ.get("TRADEWATCH_URL", "http://127.0.0.1:9478")
INGEST = os.environ.get("TRADEWATCH_INGEST_TOKEN", "")
VIEWER = os.environ.get("TRADEWATCH_VIEWER_TOKEN", "")


class EventType(enum.Enum):
    """The stand-in's enum: Gal Friday's names and integer values."""

    MARKET_DATA_L2 = 1
    TRADE_SIGNAL_PROPOSED = 6
    TRADE_SIGNAL_APPROVED = 7
    TRADE_SIGNAL_REJECTED = 8
    EXECUTION_REPORT = 9
    FILL = 10
    SYSTEM_STATE_CHANGE = 12
    POTENTIAL_HALT_TRIGGER = 14
    SYSTEM_ERROR = 16
    RISK_LIMIT_ALERT = 20
    MARKET_DATA_TICKER = 23


@dataclasses.dataclass(frozen=True)
class Event:
    source_module: str
    event_id: uuid.UUID
    timestamp: dt.datetime

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        for key, value in out.items():
            if isinstance(value, (uuid.UUID, Decimal)):
                out[key] = str(value)
            elif isinstance(value, dt.datetime):
                out[key] = value.isoformat()
            elif isinstance(value, enum.Enum):
                out[key] = value.value
        return out


@dataclasses.dataclass(frozen=True)
class ExecutionReportEvent(Event):
    exchange_order_id: str
    trading_pair: str
    exchange: str
    order_status: str
    order_type: str
    side: str
    quantity_ordered: Decimal
    signal_id: uuid.UUID | None = None
    client_order_id: str | None = None
    quantity_filled: Decimal = Decimal(0)
    average_fill_price: Decimal | None = None
    limit_price: Decimal | None = None
    stop_price: Decimal | None = None
    commission: Decimal | None = None
    commission_asset: str | None = None
    timestamp_exchange: dt.datetime | None = None
    error_message: str | None = None
    event_type: EventType = dataclasses.field(default=EventType.EXECUTION_REPORT, init=False)


@dataclasses.dataclass(frozen=True)
class MarketDataTickerEvent(Event):
    trading_pair: str
    exchange: str
    timestamp_exchange: dt.datetime
    bid: Decimal
    bid_size: Decimal
    ask: Decimal
    ask_size: Decimal
    last_price: Decimal
    last_size: Decimal
    volume_24h: Decimal
    vwap_24h: Decimal
    high_24h: Decimal
    low_24h: Decimal
    trades_24h: int
    event_type: EventType = dataclasses.field(default=EventType.MARKET_DATA_TICKER, init=False)


@dataclasses.dataclass(frozen=True)
class SystemStateEvent(Event):
    new_state: str
    reason: str
    halt_action: str | None = None
    event_type: EventType = dataclasses.field(default=EventType.SYSTEM_STATE_CHANGE, init=False)


class StandInPubSub:
    """PubSubManager's shape: subscribe(event_type, handler); publish() queues; a consumer dispatches."""

    def __init__(self) -> None:
        self._subscribers: dict[EventType, list[Any]] = {}
        self._queue: asyncio.Queue[Event] = asyncio.Queue()
        self.handler_seconds = 0.0

    def subscribe(self, event_type: EventType, handler: Any) -> None:
        self._subscribers.setdefault(event_type, []).append(handler)

    async def publish(self, event: Event) -> None:
        await self._queue.put(event)

    async def drain(self) -> None:
        while not self._queue.empty():
            event = self._queue.get_nowait()
            for handler in self._subscribers.get(event.event_type, []):
                started = time.perf_counter()
                await asyncio.wait_for(handler(event), timeout=10.0)
                self.handler_seconds += time.perf_counter() - started


def now(offset_s: float = 0.0) -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=offset_s)


def report(order_id: str, status: str, filled: str, avg: str | None, fee: str | None, offset: float, **over: Any) -> ExecutionReportEvent:
    fields: dict[str, Any] = dict(
        source_module="ExecutionHandler",
        event_id=uuid.uuid4(),
        timestamp=now(offset),
        exchange_order_id=order_id,
        trading_pair="XRP/USD",
        exchange="kraken",
        order_status=status,
        order_type="LIMIT",
        side="BUY",
        quantity_ordered=Decimal("300"),
        signal_id=uuid.uuid4(),
        client_order_id="gf-" + order_id,
        quantity_filled=Decimal(filled),
        average_fill_price=Decimal(avg) if avg else None,
        limit_price=Decimal("0.5125"),
        commission=Decimal(fee) if fee else None,
        commission_asset="USD" if fee else None,
        timestamp_exchange=now(offset),
    )
    fields.update(over)
    return ExecutionReportEvent(**fields)


def get_json(path: str) -> Any:
    request = urllib.request.Request(URL + path, headers={"Authorization": f"Bearer {VIEWER}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def metrics() -> dict[str, float]:
    with urllib.request.urlopen(URL + "/metrics", timeout=5) as response:
        out: dict[str, float] = {}
        for line in response.read().decode().splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                out[name] = float(value)
        return out


class BridgeEndToEnd(unittest.TestCase):
    def test_events_reach_the_exporter_and_cumulative_reports_count_once(self) -> None:
        engine = f"gf-bridge-{uuid.uuid4().hex[:8]}"
        bridge = TradewatchBridge(URL, INGEST, engine=engine, flush_interval=0.05)

        async def session() -> None:
            pubsub = StandInPubSub()
            bridge.attach(pubsub, EventType)
            ticker = MarketDataTickerEvent(
                source_module="DataIngestor", event_id=uuid.uuid4(), timestamp=now(), trading_pair="XRP/USD", exchange="kraken",
                timestamp_exchange=now(), bid=Decimal("0.5150"), bid_size=Decimal("1000"), ask=Decimal("0.5160"), ask_size=Decimal("800"),
                last_price=Decimal("0.5155"), last_size=Decimal("20"), volume_24h=Decimal("1E+6"), vwap_24h=Decimal("0.51"),
                high_24h=Decimal("0.53"), low_24h=Decimal("0.50"), trades_24h=1234,
            )
            await pubsub.publish(ticker)
            await pubsub.publish(report("OABC-1", "NEW", "0", None, None, 0.001))
            partial = report("OABC-1", "OPEN", "100", "0.5120", "0.1331", 0.002)
            await pubsub.publish(partial)
            await pubsub.publish(partial)  # the same report delivered twice
            await pubsub.publish(report("OABC-1", "PARTIALLY_FILLED", "250", "0.5122", "0.3329", 0.003))
            await pubsub.publish(report("OABC-1", "CLOSED", "300", "0.51223", "0.3995", 0.004))
            # A dictionary the exporter refuses is reported; the rest of its batch still goes.
            await pubsub.publish(report("OBAD-1", "UNKNOWN", "0", None, None, 0.005))
            await pubsub.publish(SystemStateEvent(source_module="MonitoringService", event_id=uuid.uuid4(), timestamp=now(0.006), new_state="HALTED", reason="max drawdown reached"))
            await pubsub.drain()

        asyncio.run(session())
        stats = bridge.close(timeout=10)
        self.assertEqual(stats["pending"], 0, stats)
        self.assertEqual(stats["dropped"], 0, stats)
        self.assertEqual(stats["rejected"], 1, stats)
        self.assertEqual(stats["sent"], 7, stats)

        positions = get_json(f"/api/v1/positions?engine={engine}")["positions"]
        self.assertEqual(len(positions), 1, positions)
        self.assertEqual(positions[0]["symbol"], "XRP/USD")
        self.assertEqual(positions[0]["quantity"], 300)
        self.assertAlmostEqual(positions[0]["avg_price"], 0.51223, places=9)
        self.assertAlmostEqual(positions[0]["fees"], 0.3995, places=9)
        self.assertAlmostEqual(positions[0]["mark_price"], 0.5155, places=9)
        m = metrics()
        self.assertEqual(m[f'trading_halted{{engine="{engine}"}}'], 1)
        fills = sum(v for k, v in m.items() if k.startswith("trading_fills_total{") and f'engine="{engine}"' in k)
        self.assertEqual(fills, 3)
        self.assertEqual(get_json(f"/api/v1/orders?engine={engine}")["orders"], [])  # filled: not active

    def test_never_blocks_the_trading_loop_when_the_exporter_is_away(self) -> None:
        with socket.socket() as s:  # a port nobody listens on
            s.bind(("127.0.0.1", 0))
            dead = f"http://127.0.0.1:{s.getsockname()[1]}"
        bridge = TradewatchBridge(dead, INGEST, max_queue=50, batch_size=10, flush_interval=0.01, timeout=0.5, max_backoff=0.2)
        pubsub = StandInPubSub()
        bridge.attach(pubsub, EventType)

        async def session() -> None:
            for i in range(200):
                await pubsub.publish(report(f"O-{i}", "NEW", "0", None, None, i / 1000))
            await pubsub.drain()

        started = time.perf_counter()
        asyncio.run(session())
        elapsed = time.perf_counter() - started
        time.sleep(0.5)  # let the sender try and fail a few times
        stats = bridge.stats()
        # 200 events offered in well under a second, whatever the network does.
        self.assertLess(pubsub.handler_seconds, 0.5, stats)
        self.assertLess(elapsed, 2.0, stats)
        self.assertGreaterEqual(stats["retries"], 1, stats)
        self.assertIsNotNone(stats["last_error"])
        # Bounded: the queue holds at most 50 (plus the batch in hand); the rest is dropped and counted.
        self.assertLessEqual(stats["pending"], 50)
        # Every event is queued, dropped (oldest first, counted) or in the one batch in hand (≤ 10).
        self.assertEqual(stats["queued"], 200)
        self.assertGreaterEqual(stats["dropped"] + stats["pending"], 190, stats)
        self.assertGreaterEqual(stats["dropped"], 140, stats)
        closed = time.perf_counter()
        bridge.close(timeout=0.3)
        self.assertLess(time.perf_counter() - closed, 2.0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
