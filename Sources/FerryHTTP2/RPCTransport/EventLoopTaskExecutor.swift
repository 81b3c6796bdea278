import NIOCore

/// Runs Swift tasks on one NIO event loop's thread.
///
/// A call's handler that prefers it (``HTTP2ServerTransport/Configuration/runsHandlersOnEventLoops``)
/// runs on the thread that reads and writes its connection: its request, its response and the
/// resumptions in between never cross threads, which saves a wake-up and a context switch each way
/// per call, as gRPC C++'s callback API saves them by running handlers on its polling threads.
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
