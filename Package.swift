// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
]

let package = Package(
    name: "Lifeboat",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lifeboat", targets: ["lifeboat"]),
        .executable(name: "lifeboat-wal", targets: ["lifeboat-wal"]),
        .executable(name: "lifeboat-controller", targets: ["lifeboat-controller"]),
        .library(name: "BackupEngine", targets: ["BackupEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.29.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.25.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // C libraries from Debian's packages (installed by .ci/run).
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // Worker: data path.
        .target(
            name: "S3Client",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "BackupEngine",
            dependencies: [
                "S3Client", "WALFastPath", "CLibPQ", "CZstd", "CLZ4", "CZlib",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "lifeboat",
            dependencies: [
                "WALFastPath",
                "BackupEngine", "LifeboatAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // Controller.
        .target(name: "KubernetesModels", swiftSettings: swiftSettings),
        .target(
            name: "KubernetesClient",
            dependencies: [
                "KubernetesModels",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ControllerRuntime",
            dependencies: [
                "KubernetesClient", "KubernetesModels",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "LifeboatAPI", dependencies: ["KubernetesModels"], swiftSettings: swiftSettings),
        .target(
            name: "LifeboatController",
            dependencies: [
                "LifeboatAPI", "KubernetesModels", "KubernetesClient", "ControllerRuntime",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "lifeboat-controller",
            dependencies: [
                "LifeboatController", "ControllerRuntime", "KubernetesClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),

        // The per-segment fast paths of wal-push/wal-fetch: no Foundation, the Swift runtime linked in, so PostgreSQL
        // can start it for every WAL segment in a few milliseconds; everything else is handed to `lifeboat`.
        .target(name: "WALFastPath", swiftSettings: swiftSettings),
        .executableTarget(
            name: "lifeboat-wal",
            dependencies: ["WALFastPath"],
            swiftSettings: swiftSettings,
            linkerSettings: [.unsafeFlags(["-static-stdlib"])]
        ),

        // Test support shared by the test targets: real PostgreSQL, moto_server, the test API server.
        .target(
            name: "LifeboatTesting",
            dependencies: ["BackupEngine", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "KubernetesTestServer",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),

        .executableTarget(
            name: "lifeboat-test-apiserver",
            dependencies: ["KubernetesTestServer"],
            swiftSettings: swiftSettings
        ),

        .testTarget(name: "BackupEngineTests", dependencies: ["BackupEngine", "LifeboatTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "WALFastPathTests", dependencies: ["WALFastPath", "BackupEngine", "LifeboatTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "S3ClientTests", dependencies: [
            "S3Client", "LifeboatTesting",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], resources: [.copy("Vectors")], swiftSettings: swiftSettings),
        .testTarget(name: "LifeboatIntegrationTests", dependencies: ["BackupEngine", "LifeboatTesting", "S3Client"], swiftSettings: swiftSettings),
        .testTarget(
            name: "KubernetesClientTests",
            dependencies: [
                "KubernetesClient", "KubernetesTestServer", "LifeboatTesting",
                // The replay server in the tests speaks HTTP/1.1 (and TLS) through NIO; SSA bodies are YAML.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "KubernetesTestServerTests", dependencies: ["KubernetesTestServer", "LifeboatTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "ControllerRuntimeTests", dependencies: [
            "ControllerRuntime", "KubernetesClient", "KubernetesModels", "KubernetesTestServer", "LifeboatTesting",
            // The health server tests call /healthz, /readyz and /metrics over HTTP; metrics go to a registry per test.
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], swiftSettings: swiftSettings),
        .testTarget(name: "LifeboatControllerTests", dependencies: ["LifeboatController", "KubernetesTestServer", "LifeboatTesting", .product(name: "MetricsTestKit", package: "swift-metrics")], swiftSettings: swiftSettings),
    ]
)
