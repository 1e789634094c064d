print("lifeboat: not built yet")
