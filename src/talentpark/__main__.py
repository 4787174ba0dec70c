from talentpark.cli import main

main()
