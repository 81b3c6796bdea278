import Foundation
import ProcessTestSupport
import Testing

/// The docs' browser page (docs/browser/index.html) in headless Chromium (Debian's `chromium`,
/// from scripts/ensure-deps.sh): served from one origin, it calls `ferry-interop-server` on
/// another with `fetch` and Connect's JSON form over HTTP/1.1, through a CORS preflight.
@Suite("A browser calls Ferry: the docs' page in headless Chromium", .serialized)
struct BrowserTests {
    /// Loads the page with `?server=` pointing at `port` and returns what it shows as the result.
    static func result(pagePort: Int, serverPort: Int) async throws -> String {
        let profile = try TestPaths.temporaryDirectory("ferry-chromium")
        defer { try? FileManager.default.removeItem(at: profile) }
        // --virtual-time-budget lets the page's fetch finish before the DOM is printed.
        let run = try await Program.run(
            "/usr/bin/chromium",
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile.path)",
                "--virtual-time-budget=10000", "--dump-dom",
                "http://127.0.0.1:\(pagePort)/index.html?server=http://127.0.0.1:\(serverPort)",
            ],
            timeout: .seconds(120)
        )
        #expect(run.status == 0, "\(run.output)")
        let dom = run.output
        guard let start = dom.range(of: #"<pre id="result">"#),
            let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex)
        else { return "no result element in:\n\(dom)" }
        return String(dom[start.upperBound..<end.lowerBound])
    }

    @Test("an allowed origin's page shows the response; a page from an origin the server does not allow cannot read it")
    func page() async throws {
        let site = try PeerProcess(
            python: "static_site.py",
            name: "docs page server",
            arguments: [TestPaths.repositoryRoot.appendingPathComponent("docs/browser").path]
        )
        try await site.stopAfter {
            let pagePort = try await site.waitForPort()
            let (allowing, allowingPort) = try await PeerProcess.ferryServer([
                "--cors_origin", "http://127.0.0.1:\(pagePort)",
            ])
            let shown = try await allowing.stopAfter {
                try await Self.result(pagePort: pagePort, serverPort: allowingPort)
            }
            #expect(shown == #"200 {"payload":{"body":"AAAA"}}"#)
            let (refusing, refusingPort) = try await PeerProcess.ferryServer([
                "--cors_origin", "https://elsewhere.example",
            ])
            let refused = try await refusing.stopAfter {
                try await Self.result(pagePort: pagePort, serverPort: refusingPort)
            }
            #expect(refused.hasPrefix("failed: TypeError"), "\(refused)")
        }
    }
}
