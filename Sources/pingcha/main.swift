import PingchaCLI

Pingcha.main()
