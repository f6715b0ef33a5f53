from trygg.cli import main

raise SystemExit(main())
