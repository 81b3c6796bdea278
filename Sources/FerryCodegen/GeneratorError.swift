/// A schema the generator cannot turn into Swift, with the reason.
public struct GeneratorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What the generator could not handle, in words for the person running it.
    public var message: String

    /// Creates an error explaining why the schema could not be generated.
    public init(_ message: String) { self.message = message }

    /// The message itself, so printing the error shows the reason alone.
    public var description: String { message }
}
