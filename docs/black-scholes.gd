# a European call under Black-Scholes: its price, and the Greeks as its derivatives
input S, K, T, sigma, r
let d1 = (log(S / K) + (r + sigma^2 / 2) * T) / (sigma * sqrt(T))
let d2 = d1 - sigma * sqrt(T)
output call = S * normcdf(d1) - K * exp(-r * T) * normcdf(d2)
