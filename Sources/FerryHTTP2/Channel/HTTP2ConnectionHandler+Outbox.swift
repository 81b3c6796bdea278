import FerryRPC
import NIOCore

/// The outbox: what callers' tasks write on any thread, drained on the event loop.
extension HTTP2ConnectionHandler: OutboxDraining {
    /// Submits everything callers queued since the last drain to the session, then flushes once.
    func drainOutbox() {
        outbox.take(into: &drained)
        defer { drained.removeAll(keepingCapacity: true) }  // lets go of the parts' bytes now
        var wroteMessagesOn: [Int32] = []
        for item in drained {
            switch item {
            case .serverPart(let streamID, let part):
                guard let entry = serverStreams[streamID] else { continue }
                if case .message(let bytes) = part {
                    entry.gate.submitted(bytes.count)
                    wroteMessagesOn.append(streamID)
                }
                guard !entry.machine.sentStatus else { continue }
                sendServerPart(part, entry: entry, streamID: streamID)
            case .serverFinish(let streamID):
                serverFinish(streamID: streamID)
            case .clientOpen(let pending):
                openClientStream(pending)
            case .clientMessage(let pending, let bytes):
                let streamID = pending.streamID
                guard let entry = clientStreams[streamID] else { continue }
                entry.gate.submitted(bytes.count)
                guard !entry.machine.isClosed else { continue }
                session.enqueueData(bytes, on: streamID)
                wroteMessagesOn.append(streamID)
            case .clientFinish(let pending):
                guard clientStreams[pending.streamID] != nil else { continue }
                session.enqueueEnd(on: pending.streamID, trailers: nil)
            case .clientRelease(let pending):
                clientRelease(streamID: pending.streamID)
            }
        }
        flush()
        for streamID in wroteMessagesOn { reportQueued(on: streamID) }
    }
}
