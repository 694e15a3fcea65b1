module zrgoplugin

go 1.24
