@main
struct Main {
    static func main() { print("injector-sim: not yet built") }
}
