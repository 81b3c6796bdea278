public import Foundation

/// Where the tests find the repository, the shared corpora, the python venv and the built executables.
public enum TestPaths {
    /// The repository root (the folder holding Package.swift), found from this file's location.
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// `../shared` beside the repository; FERRY_SHARED overrides.
    public static let sharedDirectory: URL = {
        if let path = ProcessInfo.processInfo.environment["FERRY_SHARED"] { return URL(fileURLWithPath: path) }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    /// The python that runs the oracles and grpcio peers: FERRY_PYTHON, or the venv
    /// scripts/ensure-deps.sh makes in the repository.
    public static let python =
        ProcessInfo.processInfo.environment["FERRY_PYTHON"]
        ?? repositoryRoot.appendingPathComponent(".venv/bin/python3").path

    /// protoc from Debian's protobuf-compiler.
    public static let protoc = "/usr/bin/protoc"

    /// The folder of the running test binary; SwiftPM puts the package's executables beside it.
    public static let binDirectory: URL = {
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent()
    }()

    /// The path of one of the package's executables, built beside the test binary.
    public static func builtExecutable(_ name: String) -> String {
        binDirectory.appendingPathComponent(name).path
    }

    /// A new empty folder under the temporary directory, named `prefix-<uuid>`.
    public static func temporaryDirectory(_ prefix: String = "ferry-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
