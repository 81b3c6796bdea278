extension Array where Element == UInt8 {
    /// `withUnsafeBytes` for a body with a typed error: the standard library's overload is
    /// `rethrows`, which erases the error type, so the error travels out as a value instead.
    func withUnsafeBytesTyped<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = withUnsafeBytes { buffer in
            do throws(E) { return .success(try body(buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// `withUnsafeBufferPointer` for a body with a typed error (see ``withUnsafeBytesTyped(_:)``).
    func withUnsafeBufferPointerTyped<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = withUnsafeBufferPointer { buffer in
            do throws(E) { return .success(try body(buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}
