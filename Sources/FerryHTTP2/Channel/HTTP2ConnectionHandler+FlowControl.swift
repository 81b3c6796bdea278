import FerryRPC
import NIOCore
import Synchronization

/// Inbound flow control: WINDOW_UPDATE credit follows what readers consume, per stream.
extension HTTP2ConnectionHandler {
    // MARK: Inbound flow control

    /// Credits a client stream's received bytes unless its reader is behind; then the credit waits
    /// for the reader (see ``watchReader(of:account:streamID:)``).
    func creditClientStream(_ streamID: Int32) {
        guard let entry = clientStreams[streamID] else { return }
        entry.uncredited = credit(entry.uncredited, on: streamID, account: entry.account)
    }

    func creditServerStream(_ streamID: Int32) {
        guard let entry = serverStreams[streamID] else { return }
        entry.uncredited = credit(entry.uncredited, on: streamID, account: entry.account)
    }

    /// Returns the bytes still uncredited: all of them while more than ``streamUnreadLimit`` bytes
    /// of the stream's messages wait for its reader, so a reader that falls behind stops the peer
    /// instead of making this side buffer.
    func credit(_ uncredited: Int, on streamID: Int32, account: InboundAccount) -> Int {
        guard uncredited > 0 else { return 0 }
        if account.unreadBytes > streamUnreadLimit {
            account.waitingForReader.store(true, ordering: .sequentiallyConsistent)
            // The reader may have caught up between the check and the store; whoever clears the
            // flag hands out the credit, so it is never lost.
            guard account.unreadBytes <= streamUnreadLimit,
                account.waitingForReader.exchange(false, ordering: .sequentiallyConsistent)
            else { return uncredited }
        }
        session.consumeStream(uncredited, on: streamID)
        return 0
    }

    /// Makes the reader of `buffer` account for the bytes it takes and hand withheld credit back to
    /// the event loop once it has caught up.
    func watchReader<Part: StreamPart>(of buffer: StreamBuffer<Part>, account: InboundAccount, streamID: Int32) {
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        let eventLoop = self.eventLoop
        let role = session.role
        let limit = streamUnreadLimit
        buffer.setOnConsume { part, _ in
            guard let unread = account.taken(part.messageByteCount), unread <= limit,
                account.waitingForReader.exchange(false, ordering: .sequentiallyConsistent)
            else { return }
            eventLoop.execute {
                let handler = bound.value
                if role == .client {
                    handler.creditClientStream(streamID)
                } else {
                    handler.creditServerStream(streamID)
                }
                handler.flush()
            }
        }
    }

    /// The bytes of the messages among `parts`.
    static func messageBytes<Part: StreamPart>(in parts: [Part]) -> Int {
        parts.reduce(0) { $0 + $1.messageByteCount }
    }
}
