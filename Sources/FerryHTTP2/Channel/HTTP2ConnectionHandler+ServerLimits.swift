import FerryRPC
import NIOCore

/// How a server connection enforces ``ServerConnectionLimits``: received bytes against the receive
/// budgets, the policing verdicts, fatal session errors, and the setup, idle and age timers.
extension HTTP2ConnectionHandler {
    // MARK: Received bytes

    /// Takes a DATA chunk for a server stream: deframes it, holds what it adds (a partial message,
    /// complete messages for the handler) against the receive budget, failing the stream with
    /// RESOURCE_EXHAUSTED when the budget is spent, and hands complete messages to the handler.
    ///
    /// A chunk is at most one frame (``HTTP2Settings/maxFrameSize``), so deframing it before the
    /// budget is checked holds at most that much more.
    func serverReceivedData(_ bytes: [UInt8], entry: ServerStreamEntry, streamID: Int32) {
        // A stream that already failed or finished its request drops what still arrives; it is
        // reset once its status is out.
        guard entry.machine.isReceiving else { return }
        entry.uncredited += bytes.count
        deliver(entry.machine.receivedData(bytes), entry: entry, streamID: streamID)
        creditServerStream(streamID)
    }

    /// The request ended: a Connect unary body becomes its message here, and is accounted as one.
    func serverReceivedEndOfData(entry: ServerStreamEntry, streamID: Int32) {
        deliver(entry.machine.receivedEndOfData(), entry: entry, streamID: streamID)
    }

    /// Accounts what `action` delivers and what the state machine still holds against the receive
    /// budget (failing the stream with RESOURCE_EXHAUSTED when it is spent), then applies it.
    private func deliver(_ action: ServerStreamStateMachine.OnInbound, entry: ServerStreamEntry, streamID: Int32) {
        guard entry.hold(action) else {
            let status = ServerStreamEntry.budgetSpent(server?.limits ?? ServerConnectionLimits())
            apply(ServerStreamStateMachine.OnInbound(failure: status), to: entry, streamID: streamID)
            entry.releaseHeld()
            return
        }
        apply(action, to: entry, streamID: streamID)
    }

    // MARK: Misbehaving clients

    /// Carries out a policing verdict: GOAWAY with the verdict's code and debug data, then close.
    func enforce(_ verdict: ConnectionPolicing.Verdict) {
        guard case .goAway(let errorCode, let debugData) = verdict, let context, !lingering else { return }
        status.stopAccepting()
        session.submitGoAway(errorCode: errorCode, debugData: debugData)
        closeAfterLinger(context: context)
    }

    /// Sends what the session queued (the GOAWAY), shuts the output and keeps reading, dropping what arrives, for
    /// ``ServerConnectionLimits/goAwayLinger`` before closing.
    ///
    /// Closing at once loses the GOAWAY whenever the client is still sending (a PING every few
    /// milliseconds is exactly what `too_many_pings` is about): a socket closed with unread bytes, or
    /// one that receives bytes after it closed, answers with a TCP reset; a client that then writes
    /// fails on the reset before it reads the GOAWAY, and never learns to slow down. The client
    /// closing its side ends the linger early.
    func closeAfterLinger(context: ChannelHandlerContext) {
        // Set first: the flush would otherwise close a connection nghttp2 is done with.
        lingering = true
        flush()
        let linger = server?.limits.goAwayLinger ?? .zero
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        lingerTimer = eventLoop.scheduleTask(in: TimeAmount(linger)) { bound.value.context?.close(promise: nil) }
        let shutOutput = eventLoop.makePromise(of: Void.self)
        // A channel that cannot half-close (some TLS setups) closes at once, as before.
        shutOutput.futureResult.whenFailure { _ in bound.value.context?.close(promise: nil) }
        context.close(mode: .output, promise: shutOutput)
    }

    /// The session cannot go on after `error` from received bytes: sends what nghttp2 queued (its
    /// own GOAWAY, usually) unless the peer is flooding us with frames it does not read, adds a
    /// GOAWAY with the right code when nghttp2 queued none, and closes.
    func closeAfterFatal(_ error: NGHTTP2Session.SessionError, context: ChannelHandlerContext) {
        status.stopAccepting()
        let code = error.goAwayCode
        if code != HTTP2ErrorCode.enhanceYourCalm { flush() }
        if !session.sentGoAway {
            var buffer = context.channel.allocator.buffer(capacity: 64)
            buffer.writeBytes(session.encodedGoAway(errorCode: code, debugData: String(describing: error)))
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        }
        context.close(promise: nil)
    }

    // MARK: Timers

    /// Starts the setup, idle and age timers of a server connection.
    func startServerTimers() {
        guard let limits = server?.limits, setupTimer == nil, !receivedRemoteSettings else { return }
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        setupTimer = eventLoop.scheduleTask(in: TimeAmount(limits.connectionSetupTimeout)) {
            let handler = bound.value
            guard !handler.receivedRemoteSettings else { return }
            // No HTTP/2 preface and SETTINGS in time: nothing worth a GOAWAY was said.
            handler.context?.close(promise: nil)
        }
        streamsBecameIdle()
        armIdleTimer()
        if let age = limits.maxConnectionAge {
            // gRPC spreads reconnections with ±10 % jitter, so that a fleet's connections do not all
            // age out at once.
            let nanoseconds = Double(TimeAmount(age).nanoseconds) * Double.random(in: 0.9...1.1)
            ageTimer = eventLoop.scheduleTask(in: .nanoseconds(Int64(nanoseconds))) { bound.value.connectionAged() }
        }
    }

    func cancelServerTimers() {
        for timer in [setupTimer, idleTimer, ageTimer, lingerTimer] { timer?.cancel() }
        setupTimer = nil
        idleTimer = nil
        ageTimer = nil
        lingerTimer = nil
    }

    /// The connection has no open stream: idle time counts from now.
    func streamsBecameIdle() {
        idleSince = eventLoop.now
    }

    /// Schedules the idle check for when the connection would have been idle long enough. Calls
    /// only move ``idleSince``; the timer re-arms itself when it fires, so a busy connection costs
    /// one timer per idle period, not one per call.
    private func armIdleTimer(at deadline: NIODeadline? = nil) {
        guard let idle = server?.limits.maxConnectionIdle else { return }
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        let fireAt = deadline ?? eventLoop.now + TimeAmount(idle)
        idleTimer = eventLoop.scheduleTask(deadline: fireAt) {
            let handler = bound.value
            handler.idleTimer = nil
            guard let since = handler.idleSince else {
                handler.armIdleTimer()
                return
            }
            let due = since + TimeAmount(idle)
            if handler.eventLoop.now >= due {
                handler.beginGracefulShutdown()
            } else {
                handler.armIdleTimer(at: due)
            }
        }
    }

    /// The connection reached its maximum age: GOAWAY now, close after the grace period.
    private func connectionAged() {
        guard let server else { return }
        beginGracefulShutdown()
        let grace = server.limits.maxConnectionAgeGrace ?? server.gracefulShutdownTimeout
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        ageTimer = eventLoop.scheduleTask(in: TimeAmount(grace)) { bound.value.context?.close(promise: nil) }
    }
}
