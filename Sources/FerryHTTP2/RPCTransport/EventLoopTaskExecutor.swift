import NIOCore
import Synchronization

/// Which thread a call's handler starts on (``HTTP2ServerTransport/Configuration/handlerExecution``).
///
/// A handler on its connection's event loop thread reads its request and writes its response
/// without a hand-off between threads: a wake-up and a context switch each way less per call, as
/// gRPC C++'s callback API saves them by running handlers on its polling threads. The price is
/// that a handler which blocks its thread (synchronous I/O, a long computation that never
/// suspends) stalls every connection on that event loop, and that the handlers of one connection
/// then share one thread. Work a handler hands to other tasks runs where those tasks run.
public enum HandlerExecution: Sendable, Hashable {
    /// Every handler on Swift's global concurrent executor (the default): a blocking handler
    /// stalls no connection's I/O, and one connection's handlers use every core.
    case globalExecutor
    /// Every handler on its connection's event loop. Only for handlers that suspend rather than
    /// block.
    case eventLoop
    /// A handler on its connection's event loop when no other handler of that connection is
    /// running, else on the global concurrent executor. A caller that makes one call at a time
    /// (the latency-bound case) never crosses a thread; under concurrent calls the handlers
    /// spread over the cores as with ``globalExecutor``. Only for handlers that suspend rather
    /// than block.
    case eventLoopWhenIdle
}

/// Where the handlers of one connection run: chosen per handler from the connection's
/// ``HandlerExecution`` and, for ``HandlerExecution/eventLoopWhenIdle``, from how many of its
/// handlers are running.
final class HandlerPlacement: Sendable {
    let mode: HandlerExecution
    /// The connection's event loop as a task executor; nil for ``HandlerExecution/globalExecutor``.
    let executor: EventLoopTaskExecutor?
    /// Handlers of the connection that were started and have not ended.
    private let running = Atomic<Int>(0)

    init(mode: HandlerExecution, executor: EventLoopTaskExecutor?) {
        self.mode = mode
        self.executor = executor
    }

    /// The executor for a handler about to start (nil: the global concurrent executor). Every call
    /// is paired with one ``handlerEnded()`` when the handler has finished.
    func executorForNewHandler() -> EventLoopTaskExecutor? {
        switch mode {
        case .globalExecutor: return nil
        case .eventLoop: return executor
        case .eventLoopWhenIdle:
            let before = running.wrappingAdd(1, ordering: .relaxed).oldValue
            return before == 0 ? executor : nil
        }
    }

    /// Records that a handler started by ``executorForNewHandler()`` has finished.
    func handlerEnded() {
        if mode == .eventLoopWhenIdle { running.wrappingSubtract(1, ordering: .relaxed) }
    }
}

/// Runs Swift tasks on one NIO event loop's thread: the executor that handlers placed on their
/// connection's event loop prefer (``HandlerExecution``).
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        // Unowned: a task that prefers this executor keeps it alive until the task ends, and the
        // job belongs to such a task.
        let executor = asUnownedTaskExecutor()
        eventLoop.execute { job.runSynchronously(on: executor) }
    }
}
