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


@dataclasses.dataclass(frozen=True)
class MarketDataL2Event(Event):
    trading_pair: str
    exchange: str
    bids: Any
    asks: Any
    is_snapshot: bool
    timestamp_exchange: dt.datetime | None = None
    event_type: EventType = dataclasses.field(default=EventType.MARKET_DATA_L2, init=False)


@dataclasses.dataclass(frozen=True)
class TradeSignalProposedEvent(Event):
    signal_id: uuid.UUID
    trading_pair: str
    exchange: str
    side: str
    entry_type: str
    proposed_sl_price: Decimal
    proposed_tp_price: Decimal
    strategy_id: str
    proposed_entry_price: Decimal | None = None
    triggering_prediction_event_id: uuid.UUID | None = None
    triggering_prediction: dict[str, Any] | None = None
    event_type: EventType = dataclasses.field(default=EventType.TRADE_SIGNAL_PROPOSED, init=False)


@dataclasses.dataclass(frozen=True)
class GenericEvent(Event):
    """RiskManager's own event class (risk_manager.py): any event_type, a name and a data dict."""

    event_type: EventType
    event_name: str
    data: dict[str, Any]


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
            # (a MARKET fill reported without any price: refused alone, counted as galfriday_unusable).
            await pubsub.publish(report("OBAD-1", "CLOSED", "10", None, None, 0.005, order_type="MARKET", limit_price=None))
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

    def test_real_shapes_give_the_hand_worked_figures(self) -> None:
        """Issue 11's session, in the shapes Gal Friday's real code publishes (see adapters/galfriday/adapter-real.test.ts).

        XRP: bought 100 @ 0.500 and 100 @ 0.501 (Kraken averages 0.50000, 0.50050), sold 200 at
        0.50550: 1.00 gross, fees 0.05 + 0.06 + 0.11044 = 0.22044 (asset ZUSD), realized 0.77956.
        DOGE: 1000 bought @ 0.1000, marked at the L2 mid 0.10022: equity 0.99956.
        Orders 6 submitted, 2 refused by Kraken (NO_EXCHANGE_ID); signals 6 approved, 1 rejected.
        """
        engine = os.environ.get("TRADEWATCH_TEST_ENGINE") or f"gf-real-{uuid.uuid4().hex[:8]}"
        # Every book through (the session runs in well under a second of wall time); sampling is tested below.
        bridge = TradewatchBridge(URL, INGEST, engine=engine, flush_interval=0.05, mark_interval=0.0)
        t0 = now(-600)

        def at(seconds: float) -> dt.datetime:
            return t0 + dt.timedelta(seconds=seconds)

        def book(seconds: float, pair: str, bids: list[str], asks: list[str]) -> MarketDataL2Event:
            return MarketDataL2Event(
                source_module="DataIngestor", event_id=uuid.uuid4(), timestamp=at(seconds), trading_pair=pair, exchange="kraken",
                bids=[(p, "1500.0") for p in bids], asks=[(p, "1200.0") for p in asks], is_snapshot=False, timestamp_exchange=at(seconds),
            )

        signals = {n: (uuid.uuid4(), pair, side, strat) for n, pair, side, strat in [
            (1, "XRP/USD", "BUY", "mr_xrp"), (2, "XRP/USD", "SELL", "mr_xrp"), (3, "DOGE/USD", "BUY", "mom_doge"),
            (4, "DOGE/USD", "SELL", "mom_doge"), (5, "XRP/USD", "BUY", "mr_xrp"), (6, "DOGE/USD", "BUY", "mom_doge"),
            (7, "XRP/USD", "BUY", "mr_xrp")]}

        def approvals(seconds: float, n: int) -> list[GenericEvent]:
            sid, pair, side, strat = signals[n]
            data = {"type": "TradeSignalApproved", "source_module": "RiskManager", "signal_id": str(sid), "trading_pair": pair,
                    "exchange": "kraken", "side": side, "entry_type": "LIMIT", "strategy_id": strat, "approval_status": "approved",
                    "approved_position_size": 200.0, "risk_adjustments": {"stop_loss_price": Decimal("0.49")}, "timestamp": at(seconds).isoformat()}
            names = ["trade.signal.approved", "execution.signals.approved", "portfolio.signals.approved", f"signals.approved.{strat}"]
            return [GenericEvent(source_module="RiskManager", event_id=uuid.uuid4(), timestamp=at(seconds),
                                 event_type=EventType.TRADE_SIGNAL_APPROVED, event_name=name, data=data) for name in names]

        def order(seconds: float, n: int, txid: str, cl: str, status: str, otype: str, qty: str, filled: str = "0",
                  avg: str | None = None, fee: str | None = None, error: str | None = None) -> ExecutionReportEvent:
            sid, pair, side, _ = signals[n]
            return ExecutionReportEvent(
                source_module="ExecutionHandler", event_id=uuid.uuid4(), timestamp=at(seconds), exchange_order_id=txid,
                trading_pair=pair, exchange="kraken", order_status=status, order_type=otype, side=side,
                quantity_ordered=Decimal(qty), signal_id=sid, client_order_id=cl, quantity_filled=Decimal(filled),
                average_fill_price=Decimal(avg) if avg else None, commission=Decimal(fee) if fee else None,
                commission_asset="ZUSD" if fee and Decimal(fee) else None, error_message=error)

        def metrics_event(seconds: float, **metrics: Any) -> GenericEvent:
            return GenericEvent(source_module="RiskManager", event_id=uuid.uuid4(), timestamp=at(seconds), event_type=EventType.SYSTEM_ERROR,
                                event_name="risk.metrics.calculated", data={"type": "RiskMetricsCalculated", "metrics": {
                                    "consecutive_losses": 0, "current_drawdown_pct": 1.5, "total_exposure_pct": 1.002, "risk_score": 9.5,
                                    "current_equity": 10000.99956, "peak_equity": 10000.99956, "sharpe_ratio": float("nan"), **metrics}})

        async def session() -> None:
            pubsub = StandInPubSub()
            bridge.attach(pubsub, EventType)
            events: list[Event] = [book(0, "XRP/USD", ["0.4995"], ["0.5005"]), book(0, "DOGE/USD", ["0.09995"], ["0.10005"])]
            for n, (sid, pair, side, strat) in signals.items():
                events.append(TradeSignalProposedEvent(
                    source_module="StrategyArbitrator", event_id=uuid.uuid4(), timestamp=at(1), signal_id=sid, trading_pair=pair,
                    exchange="kraken", side=side, entry_type="LIMIT", proposed_sl_price=Decimal("0.49"), proposed_tp_price=Decimal("0.52"),
                    strategy_id=strat, proposed_entry_price=Decimal("0.5")))
            events += approvals(2, 1) + [order(2, 1, "OQCLML-BW3P3-BUCMWZ", "gf-1", "NEW", "LIMIT", "200")]
            events += [order(7, 1, "OQCLML-BW3P3-BUCMWZ", "gf-1", "OPEN", "LIMIT", "200.00000000", "100.00000000", "0.50000", "0.05000"),
                       order(12, 1, "OQCLML-BW3P3-BUCMWZ", "gf-1", "CLOSED", "LIMIT", "200.00000000", "200.00000000", "0.50050", "0.11000")]
            events += approvals(20, 2) + [order(20, 2, "OB5VQF-7KZ3D-LXEAJ4", "gf-2", "NEW", "MARKET", "200")]
            events += [order(25, 2, "OB5VQF-7KZ3D-LXEAJ4", "gf-2", "CLOSED", "MARKET", "200.00000000", "200.00000000", "0.50550", "0.11044"),
                       metrics_event(60),
                       GenericEvent(source_module="RiskManager", event_id=uuid.uuid4(), timestamp=at(61), event_type=EventType.SYSTEM_ERROR,
                                    event_name="signals.retry.scheduled", data={"type": "SignalRetryScheduled"})]
            events += approvals(70, 3) + [order(70, 3, "OX3D7C-ABCDE-FGHIJK", "gf-3", "NEW", "MARKET", "1000"),
                                          order(75, 3, "OX3D7C-ABCDE-FGHIJK", "gf-3", "CLOSED", "MARKET", "1000.00000000", "1000.00000000", "0.100000", "0.00000000")]
            events += approvals(80, 4) + [order(81, 4, "OTRAIL-12345-ABCDEF", "gf-4", "OPEN", "TRAILING-STOP", "1000.00000000")]
            events += approvals(90, 5) + [order(90, 5, "NO_EXCHANGE_ID", "gf-5", "REJECTED", "LIMIT", "150.0", error="['EOrder:Insufficient funds']")]
            events += approvals(95, 6) + [order(95, 6, "NO_EXCHANGE_ID", "gf-6", "REJECTED", "MARKET", "10.0", error="['EGeneral:Invalid arguments:volume minimum not met']")]
            sid7, pair7, _, strat7 = signals[7]
            rejection = {"type": "TradeSignalRejected", "signal_id": str(sid7), "trading_pair": pair7, "strategy_id": strat7,
                         "rejection_reason": "position_limit_exceeded", "severity": "high", "rejection_details": "Exposure over limit",
                         "signal_data": {"exchange": "kraken", "side": "BUY", "proposed_entry_price": Decimal("0.5")}}
            events += [GenericEvent(source_module="RiskManager", event_id=uuid.uuid4(), timestamp=at(100), event_type=EventType.TRADE_SIGNAL_REJECTED,
                                    event_name=name, data=rejection) for name in ["trade.signal.rejected", "signals.rejected.high", f"signals.rejected.{strat7}"]]
            events += [order(110, 4, "OTRAIL-12345-ABCDEF", "gf-4", "CANCELED", "TRAILING-STOP", "1000.00000000"),
                       book(130, "DOGE/USD", ["0.10021", "0.10020"], ["0.10023", "0.10030"])]
            for event in events:
                await pubsub.publish(event)
            await pubsub.drain()

        asyncio.run(session())
        stats = bridge.close(timeout=10)
        self.assertEqual((stats["pending"], stats["dropped"], stats["rejected"]), (0, 0, 0), stats)

        m = metrics()

        def total(name: str, **labels: str) -> float:
            want = [f'{k}="{v}"' for k, v in {"engine": engine, **labels}.items()]
            return sum(v for k, v in m.items() if k.startswith(name + "{") and all(w in k for w in want))

        self.assertAlmostEqual(total("trading_realized_pnl"), 0.77956, places=12)
        self.assertAlmostEqual(total("trading_fees_paid_total", currency="USD"), 0.22044, places=12)
        self.assertAlmostEqual(total("trading_equity"), 0.99956, places=12)
        self.assertEqual(total("trading_pnl_incomplete"), 0)
        self.assertEqual(total("trading_orders_submitted_total"), 6)
        self.assertEqual(total("trading_orders_closed_total", status="rejected"), 2)
        self.assertEqual(total("trading_signals_total", decision="approved"), 6)
        self.assertEqual(total("trading_signals_total", decision="rejected"), 1)
        self.assertEqual(total("trading_venue_errors_total"), 2)
        self.assertAlmostEqual(total("trading_risk_value", limit="galfriday_drawdown_ratio"), 0.015, places=12)
        self.assertAlmostEqual(total("trading_risk_value", limit="galfriday_equity"), 10000.99956, places=9)
        mine = [k for k in m if f'engine="{engine}"' in k]
        self.assertFalse([k for k in mine if any(code in k for code in ("ZUSD", "XXBT", "XXRP", "XXDG", "XDG"))])

    def test_books_are_sampled_and_cut_to_their_best_level(self) -> None:
        engine = f"gf-book-{uuid.uuid4().hex[:8]}"
        bridge = TradewatchBridge(URL, INGEST, engine=engine, flush_interval=0.05)  # default: one book a second per pair
        pubsub = StandInPubSub()
        bridge.attach(pubsub, EventType)

        async def session() -> None:
            for i in range(50):
                bids = [(f"0.{5000 - j:04d}", "10") for j in range(100)]
                asks = [(f"0.{5010 + j:04d}", "10") for j in range(100)]
                await pubsub.publish(MarketDataL2Event(source_module="DataIngestor", event_id=uuid.uuid4(), timestamp=now(i / 1000),
                                                       trading_pair="XRP/USD", exchange="kraken", bids=bids, asks=asks, is_snapshot=False))
            await pubsub.drain()

        asyncio.run(session())
        stats = bridge.close(timeout=10)
        self.assertEqual((stats["queued"], stats["sampled_out"], stats["sent"]), (1, 49, 1), stats)
        marks = [v for k, v in metrics().items() if k.startswith("trading_events_total{") and f'engine="{engine}"' in k and 'type="mark"' in k]
        self.assertEqual(marks, [1])
        self.assertEqual(get_json(f"/api/v1/positions?engine={engine}")["positions"], [])


    def test_kraken_balances_become_common_cash(self) -> None:
        engine = f"gf-cash-{uuid.uuid4().hex[:8]}"
        bridge = TradewatchBridge(URL, INGEST, engine=engine, flush_interval=0.05)
        bridge.balances({"ZUSD": "10000.0000", "XXBT": "0.0100000000", "XXDG": Decimal("1000.00000000")})
        stats = bridge.close(timeout=10)
        self.assertEqual((stats["sent"], stats["rejected"]), (1, 0), stats)
        cash = {k: v for k, v in metrics().items() if k.startswith("trading_cash_balance{") and f'engine="{engine}"' in k}
        self.assertEqual(sorted((k.split('currency="')[1].split('"')[0], v) for k, v in cash.items()),
                         [("BTC", 0.01), ("DOGE", 1000.0), ("USD", 10000.0)])

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
        deadline = time.monotonic() + 10
        while bridge.stats()["retries"] < 1 and time.monotonic() < deadline:  # the sender tries and fails
            time.sleep(0.01)
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


class OverACap(unittest.TestCase):
    def test_a_422_naming_one_event_drops_that_one_and_sends_the_rest(self) -> None:
        """The exporter refuses a batch whose event would pass a label cap (422, with its index)."""
        import http.server
        import threading

        bodies: list[list[Any]] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                batch = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                bodies.append(batch)
                over = [i for i, e in enumerate(batch) if e.get("trading_pair") == "NEW/USD"]
                status, answer = (422, {"error": "over max_symbols", "problems": [{"index": i, "field": "symbol", "reason": "cap"} for i in over]}) if over else (200, {"accepted": len(batch)})
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            bridge = TradewatchBridge(f"http://127.0.0.1:{server.server_address[1]}", "t", flush_interval=0.01)
            bridge.offer(report("O-1", "NEW", "0", None, None, 0))
            bridge.offer(report("O-2", "NEW", "0", None, None, 0, trading_pair="NEW/USD"))
            bridge.offer(report("O-3", "NEW", "0", None, None, 0))
            stats = bridge.close(timeout=5)
        finally:
            server.shutdown()
        self.assertEqual((stats["sent"], stats["rejected"], stats["retries"]), (2, 1, 0), stats)
        self.assertEqual([e["exchange_order_id"] for e in bodies[-1]], ["O-1", "O-3"])


class PubSubPriorityQueueIssue(unittest.TestCase):
    """What docs/integrations/galfriday.md says of Gal Friday's PubSubManager, and its one-line fix.

    Its publish() puts ``(priority, event)`` on an ``asyncio.PriorityQueue`` (priority = the
    EventType's value); two queued events of one type compare their events, which define no
    order, and the heap raises TypeError: events are lost.
    """

    @staticmethod
    def deliver(queue: "asyncio.Queue[Any]") -> list[int]:
        async def run() -> list[int]:
            got: list[int] = []
            for i in range(5):
                try:
                    queue.put_nowait((EventType.EXECUTION_REPORT.value, report(f"O-{i}", "NEW", "0", None, None, i)))
                except TypeError:
                    pass  # PubSubManager.publish logs "Error publishing event" and goes on
            while not queue.empty():
                try:
                    _, event = queue.get_nowait()
                    got.append(int(event.exchange_order_id[2:]))
                except TypeError:
                    pass  # its consumer logs and goes on
            return got

        return asyncio.run(run())

    def test_a_priority_queue_of_events_loses_some(self) -> None:
        self.assertNotEqual(sorted(self.deliver(asyncio.PriorityQueue())), [0, 1, 2, 3, 4])

    def test_a_fifo_queue_delivers_every_event(self) -> None:
        self.assertEqual(self.deliver(asyncio.Queue()), [0, 1, 2, 3, 4])


if __name__ == "__main__":
    unittest.main(verbosity=2)
