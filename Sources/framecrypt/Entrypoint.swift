import ArgumentParser
import FrameCryptCLI

/// The `framecrypt` executable: everything it does lives in FrameCryptCLI and below.
@main
struct Entrypoint {
    static func main() {
        FrameCrypt.mainCheckingOutput()
    }
}
