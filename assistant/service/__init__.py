"""The running product (store, index, LLM, jobs, audit) behind one object every channel calls."""
