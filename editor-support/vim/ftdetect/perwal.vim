au BufRead,BufNewFile *.perwal set filetype=perwal
