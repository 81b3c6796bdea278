/// A schema the generator cannot turn into Swift, with the reason.
public struct GeneratorError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
