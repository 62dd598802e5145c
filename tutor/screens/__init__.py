"""Screens compose widgets, bind keys, and move data between scenes and widgets."""
