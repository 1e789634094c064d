print("lifeboat-controller: not built yet")
