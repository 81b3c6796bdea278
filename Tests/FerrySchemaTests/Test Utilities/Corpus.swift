import Foundation

/// Finds the shared corpus of real `.proto` files.
enum Corpus {
    static let root = ProcessInfo.processInfo.environment["FERRY_CORPUS"] ?? "/work/shared/corpus"

    /// Every `.proto` file under the corpus, as paths relative to their include root
    /// (`google/protobuf/any.proto`, `grpc/health/v1/health.proto`, ...) with absolute paths.
    static var protoFiles: [(name: String, path: String)] {
        let includeRoots = ["\(root)/protobuf-3.21.12", "\(root)/grpc-proto"]
        var result: [(String, String)] = []
        for includeRoot in includeRoots {
            guard let enumerator = FileManager.default.enumerator(atPath: includeRoot) else { continue }
            while let relative = enumerator.nextObject() as? String {
                if relative.hasSuffix(".proto") { result.append((relative, "\(includeRoot)/\(relative)")) }
            }
        }
        return result.sorted { $0.0 < $1.0 }
    }

    static var names: [String] { protoFiles.map(\.name) }

    static func path(of name: String) -> String? { protoFiles.first { $0.name == name }?.path }
}
