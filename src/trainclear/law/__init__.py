"""Law as data and code: dated legal parameters now; provisions per jurisdiction later."""
