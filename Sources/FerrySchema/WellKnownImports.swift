import Foundation

extension Compiler {
    /// A directory holding the well-known types' `.proto` files (`google/protobuf/*.proto`,
    /// including descriptor.proto and compiler/plugin.proto), shipped with Ferry.
    ///
    /// Tools append it after the user's import paths, so `import "google/protobuf/timestamp.proto"`
    /// resolves without an `-I` for it while a user's own copy still wins, as it would with protoc.
    public static let wellKnownImportPath: String? =
        Bundle.module.url(forResource: "WellKnownProtos", withExtension: nil)?.path
}
